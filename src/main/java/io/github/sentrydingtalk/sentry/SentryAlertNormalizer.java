package io.github.sentrydingtalk.sentry;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns any Sentry webhook (legacy WebHooks plugin or Integration Platform) into one {@link SentryAlert},
 * stored in the exchange variable {@code alert} (its id and kind also as {@code alertId} and
 * {@code alertKind}, cheap to read in a route). Requests that carry no alert (installation, comment,
 * seer, preprod_artifact, unknown resources) get the variables {@code ignoredResource} and
 * {@code ignoredReason} instead.
 * <p>
 * Sentry payloads differ by version and every field may be missing, null or of another type, so all
 * reads go through {@link #text} and {@code JsonNode.path}, which never throw.
 */
public class SentryAlertNormalizer implements Processor {

    public static final String RESOURCE_HEADER = "Sentry-Hook-Resource";
    public static final String REQUEST_ID_HEADER = "Request-ID";

    private static final Set<String> NO_ALERT_RESOURCES = Set.of("installation", "comment", "seer", "preprod_artifact");
    /** The statusDetails that say until when an archived (ignored) issue stays quiet. */
    private static final List<String> ARCHIVE_DETAILS = List.of("ignoreCount", "ignoreWindow", "ignoreUserCount",
            "ignoreUserWindow", "ignoreUntil", "ignoreDuration");
    private static final Pattern PROJECT_IN_API_URL = Pattern.compile("/projects/[^/]+/([^/?#]+)/");
    private static final Pattern REFERRER = Pattern.compile("([?&])referrer=[^&#]*&?");
    private static final int MAX_TAGS = 30;
    /** A title is always sent whole, twice (title and heading): keep it short enough to leave room. */
    static final int MAX_TITLE = 256;
    /** Sentry's Request-IDs are 32 hex digits; anything longer is cut. */
    static final int MAX_REQUEST_ID = 64;

    // Bounded parser: deep or huge JSON fails fast instead of exhausting the stack or memory.
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxStringLength(1_000_000)
                    .maxNumberLength(100)
                    .build())
            .build());

    private String sentryBaseUrl;

    public void setSentryBaseUrl(String sentryBaseUrl) {
        this.sentryBaseUrl = sentryBaseUrl == null || sentryBaseUrl.isBlank() ? null
                : sentryBaseUrl.replaceAll("/+$", "");
    }

    @Override
    public void process(Exchange exchange) {
        String resource = exchange.getMessage().getHeader(RESOURCE_HEADER, String.class);
        String requestId = bounded(exchange.getMessage().getHeader(REQUEST_ID_HEADER, String.class));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode root = parse(body);
        if (resource != null && NO_ALERT_RESOURCES.contains(resource)) {
            exchange.setVariable("ignoredResource", resource);
            exchange.setVariable("ignoredReason", "resource '" + resource + "' carries no alert");
            return;
        }
        SentryAlert alert = normalize(resource, requestId, root);
        if (alert == null) {
            // echoed in a JSON answer and a log line: only a name's characters
            String name = resource == null ? "" : resource.replaceAll("[^A-Za-z0-9_.-]", "?");
            name = name.length() > 64 ? name.substring(0, 64) + "…" : name;
            exchange.setVariable("ignoredResource", name);
            exchange.setVariable("ignoredReason", "resource '" + name + "' is not one this service sends");
            return;
        }
        Instant now = Instant.now();
        // Time first, so file names sort by arrival; the random part only separates alerts of one millisecond.
        String id = String.format("%013d-%08x", now.toEpochMilli(), ThreadLocalRandom.current().nextInt());
        exchange.setVariable("alert", alert.accepted(id, now.toString()).withShortTitle(MAX_TITLE));
        exchange.setVariable("alertId", id);
        exchange.setVariable("acceptedAt", now.toString());
        exchange.setVariable("alertKind", alert.kind());
        // "The same delivery" comes from the content: Sentry retries under a fresh Request-ID.
        exchange.setVariable("deliveryKey", DeliveryKey.of(alert.kind(), root, body));
    }

    /** Request-ID is only shown and logged: a 7,000-byte one must not be copied into every alert file. */
    static String bounded(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            return null;
        }
        String id = requestId.strip();
        return id.length() <= MAX_REQUEST_ID ? id : id.substring(0, MAX_REQUEST_ID) + "…";
    }

    JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidSentryPayloadException("empty body: expected a Sentry webhook JSON object");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new InvalidSentryPayloadException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSentryPayloadException("body must be a JSON object");
        }
        return root;
    }

    /** Returns null for a resource that is not an alert. */
    public SentryAlert normalize(String resource, String requestId, JsonNode root) {
        if (resource == null || resource.isBlank()) {
            return legacy(requestId, root);
        }
        JsonNode data = root.path("data");
        String action = text(root.path("action"));
        String actor = text(root.path("actor").path("name"));
        return switch (resource) {
            case "event_alert" -> event("event_alert", action, requestId, data.path("event"),
                    text(data.path("triggered_rule")), text(data.path("issue_alert").path("title")));
            case "error" -> event("error", action, requestId, data.path("error"), null, null);
            case "issue" -> issue(action, actor, requestId, data.path("issue"));
            case "metric_alert" -> metricAlert(action, requestId, data);
            default -> null;
        };
    }

    private SentryAlert legacy(String requestId, JsonNode root) {
        JsonNode event = root.path("event");
        Event e = readEvent(event);
        String slug = first(text(root.path("project_slug")), text(root.path("project")), e.slugFromUrl);
        String link = first(httpUrl(stripReferrer(text(root.path("url")))), issueLink(text(root.path("id"))));
        String message = first(text(root.path("message")), e.message);
        String rules = joined(root.path("triggering_rules"));
        return eventFields(e).kind("legacy").requestId(requestId)
                .title(title(first(text(event.path("title")), e.title), e, message))
                .projectSlug(slug).projectName(text(root.path("project_name")))
                .level(first(text(root.path("level")), e.level))
                .location(first(text(root.path("culprit")), e.location))
                .message(message).link(link).triggeringRule(rules).issueId(issueId(root.path("id"))).build();
    }

    private SentryAlert event(String kind, String action, String requestId, JsonNode event,
                              String rule, String ruleFallback) {
        Event e = readEvent(event);
        String link = first(httpUrl(text(event.path("web_url"))), issueLink(text(event.path("issue_id"))));
        return eventFields(e).kind(kind).action(action).requestId(requestId).title(title(e.title, e, e.message))
                .projectSlug(e.slugFromUrl).level(e.level).location(e.location).message(e.message).link(link)
                .triggeringRule(first(rule, ruleFallback)).issueId(issueId(event.path("issue_id"))).build();
    }

    /** What every event-based alert takes from its event as it is. */
    private static SentryAlert.Builder eventFields(Event e) {
        return SentryAlert.builder().environment(e.environment).release(e.release).platform(e.platform)
                .exceptionType(e.exceptionType).exceptionValue(e.exceptionValue).topFrame(e.topFrame)
                .user(e.user).requestUrl(e.requestUrl).tags(e.tags);
    }

    private SentryAlert issue(String action, String actor, String requestId, JsonNode issue) {
        JsonNode project = issue.path("project");
        JsonNode metadata = issue.path("metadata");
        String type = text(metadata.path("type"));
        String value = text(metadata.path("value"));
        String title = first(text(issue.path("title")), fallbackTitle(type, value, null));
        JsonNode assignedTo = issue.path("assignedTo");
        String assignee = assignedTo.isObject()
                ? first(text(assignedTo.path("name")), text(assignedTo.path("email")), text(assignedTo.path("id")))
                : text(assignedTo);
        String link = first(httpUrl(text(issue.path("web_url"))), httpUrl(text(issue.path("permalink"))),
                httpUrl(stripReferrer(text(issue.path("url")))), issueLink(text(issue.path("id"))));
        SentryAlert.Issue details = new SentryAlert.Issue(text(issue.path("shortId")), text(issue.path("count")),
                text(issue.path("userCount")), text(issue.path("firstSeen")), text(issue.path("lastSeen")),
                assignee, actor, text(issue.path("status")), text(issue.path("substatus")),
                archiveDetails(issue.path("statusDetails")));
        return SentryAlert.builder().kind("issue").action(action).requestId(requestId).title(title)
                .projectSlug(text(project.path("slug"))).projectName(text(project.path("name")))
                .level(text(issue.path("level"))).location(text(issue.path("culprit"))).link(link)
                .platform(text(issue.path("platform"))).exceptionType(type).exceptionValue(value)
                .issue(details).issueId(issueId(issue.path("id"))).build();
    }

    /** ignoreCount, ignoreUntil and the like, as text; null when there are none. */
    private static Map<String, String> archiveDetails(JsonNode statusDetails) {
        Map<String, String> details = new LinkedHashMap<>();
        for (String key : ARCHIVE_DETAILS) {
            String value = text(statusDetails.path(key));
            if (value != null) {
                details.put(key, value);
            }
        }
        return details.isEmpty() ? null : details;
    }

    private SentryAlert metricAlert(String action, String requestId, JsonNode data) {
        JsonNode incident = data.path("metric_alert");
        JsonNode rule = incident.path("alert_rule");
        String ruleTitle = first(text(rule.path("name")), text(incident.path("title")));
        String descriptionTitle = text(data.path("description_title"));
        // Sentry's documented example carries a literal backslash-n; show it as the line break it means.
        String descriptionText = text(data.path("description_text"));
        if (descriptionText != null) {
            descriptionText = descriptionText.replace("\\n", "\n");
        }
        String slug = first(text(rule.path("projects").path(0)), text(incident.path("projects").path(0)));
        String level = action == null ? null : switch (action) {
            case "critical" -> "fatal";
            case "warning" -> "warning";
            default -> "info";
        };
        return SentryAlert.builder().kind("metric_alert").action(action).requestId(requestId)
                .title(first(descriptionTitle, ruleTitle, "Sentry metric alert")).projectSlug(slug)
                .environment(text(rule.path("environment"))).level(level).link(httpUrl(text(data.path("web_url"))))
                .triggeringRule(ruleTitle)
                .metricAlert(new SentryAlert.MetricAlert(action, ruleTitle, descriptionTitle, descriptionText,
                        first(text(incident.path("date_started")), text(incident.path("date_detected"))))).build();
    }

    /** The parts of an event that legacy, event_alert and error payloads share. */
    private record Event(String title, String message, String environment, String level, String location,
                         String release, String platform, String exceptionType, String exceptionValue,
                         String topFrame, String user, String requestUrl, Map<String, String> tags,
                         String slugFromUrl) {
    }

    private Event readEvent(JsonNode event) {
        Map<String, String> tags = tags(event.path("tags"));
        JsonNode exception = last(event.path("exception").path("values"));
        JsonNode metadata = event.path("metadata");
        String message = first(text(event.path("message")), text(event.path("logentry").path("formatted")));
        String slug = null;
        String apiUrl = text(event.path("url"));
        if (apiUrl != null) {
            Matcher m = PROJECT_IN_API_URL.matcher(apiUrl);
            slug = m.find() ? m.group(1) : null;
        }
        JsonNode user = event.path("user");
        return new Event(text(event.path("title")), message,
                first(text(event.path("environment")), tags.get("environment")),
                first(text(event.path("level")), tags.get("level")),
                first(text(event.path("culprit")), text(event.path("transaction")), text(event.path("location"))),
                first(text(event.path("release")), tags.get("release")),
                text(event.path("platform")),
                first(text(exception.path("type")), text(metadata.path("type"))),
                first(text(exception.path("value")), text(metadata.path("value"))),
                topFrame(exception.path("stacktrace").path("frames")),
                first(text(user.path("email")), text(user.path("username")), text(user.path("id")),
                        text(user.path("ip_address"))),
                text(event.path("request").path("url")), tags, slug);
    }

    /** Frames run oldest to newest: the top frame is the last, preferably the last in-app one. */
    static String topFrame(JsonNode frames) {
        if (!frames.isArray() || frames.isEmpty()) {
            return null;
        }
        JsonNode chosen = null;
        for (JsonNode frame : frames) {
            if (frame.isObject() && frame.path("in_app").asBoolean(false)) {
                chosen = frame;
            }
        }
        if (chosen == null) {
            chosen = last(frames);
        }
        String file = first(text(chosen.path("filename")), text(chosen.path("abs_path")), text(chosen.path("module")));
        if (file == null) {
            return null;
        }
        String line = text(chosen.path("lineno"));
        String function = text(chosen.path("function"));
        return file + (line == null ? "" : ":" + line) + (function == null ? "" : " in " + function);
    }

    /** Sentry sends tags as [[k, v], ...], as [{key, value}, ...] or as an object. */
    static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node.isObject()) {
            node.properties().forEach(e -> putTag(tags, e.getKey(), text(e.getValue())));
        } else if (node.isArray()) {
            for (JsonNode tag : node) {
                if (tag.isArray()) {
                    putTag(tags, text(tag.path(0)), text(tag.path(1)));
                } else if (tag.isObject()) {
                    putTag(tags, text(tag.path("key")), text(tag.path("value")));
                }
            }
        }
        return tags;
    }

    private static void putTag(Map<String, String> tags, String key, String value) {
        if (key != null && value != null && tags.size() < MAX_TAGS) {
            tags.putIfAbsent(key, value);
        }
    }

    private static String title(String title, Event e, String message) {
        return first(title, fallbackTitle(e.exceptionType, e.exceptionValue, message));
    }

    private static String fallbackTitle(String type, String value, String message) {
        if (type != null) {
            return value == null ? type : type + ": " + value;
        }
        return first(message, value, "Sentry alert");
    }

    /** Sentry's issue (group) id: digits only, as it goes into an API path; else none. */
    static String issueId(JsonNode id) {
        String text = text(id);
        return text != null && text.matches("[0-9]{1,20}") ? text : null;
    }

    private String issueLink(String issueId) {
        return sentryBaseUrl == null || issueId == null ? null : sentryBaseUrl + "/issues/" + issueId + "/";
    }

    /** Only web links make it into a message: no javascript:, no relative paths, no numbers. */
    static String httpUrl(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? url : null;
    }

    static String stripReferrer(String url) {
        if (url == null) {
            return null;
        }
        String stripped = REFERRER.matcher(url).replaceAll("$1");
        return stripped.replaceAll("[?&]$", "").replace("?#", "#");
    }

    private static String joined(JsonNode node) {
        if (!node.isArray()) {
            return text(node);
        }
        List<String> parts = new ArrayList<>();
        node.forEach(n -> {
            String t = text(n);
            if (t != null) {
                parts.add(t);
            }
        });
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static JsonNode last(JsonNode array) {
        return array.isArray() && !array.isEmpty() ? array.get(array.size() - 1) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** A scalar as text; null for missing, null, blank, objects and arrays. */
    static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String s = node.asText();
        return s.isBlank() ? null : s.strip();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
