package io.github.sentrydingtalk.sentry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * "The same Sentry event", read from the payload, never from {@code Request-ID}: Sentry's retries carry the
 * same body under a fresh Request-ID, timestamp and signature. Always {@code <kind>:<SHA-256, base64url>}
 * (at most 61 characters), whatever the payload's size.
 * <ul>
 * <li>{@code event_alert}: the event id and the rule that fired ({@code data.triggered_rule});</li>
 * <li>{@code error}: the event id and the action;</li>
 * <li>{@code issue}: the issue id, the action and what changed: the whole {@code data.issue} as Sentry
 * serialised it for this action (status, statusDetails, assignee, count, lastSeen, ...), so resolved, then
 * unresolved, then resolved again are three alerts;</li>
 * <li>{@code metric_alert}: the incident id, the action, the incident's times (started, detected, closed)
 * and the description (it carries the metric value: critical, warning, critical again differ there);</li>
 * <li>legacy plugin, or any of the fields above missing or null: the whole body ({@code <kind>:body:...}).</li>
 * </ul>
 */
final class DeliveryKey {

    private DeliveryKey() {
    }

    static String of(String kind, JsonNode root, byte[] body) {
        JsonNode data = root.path("data");
        String action = SentryAlertNormalizer.text(root.path("action"));
        String[] parts = switch (kind) {
            case "event_alert" -> parts(text(data.path("event").path("event_id")), text(data.path("triggered_rule")));
            case "error" -> parts(text(data.path("error").path("event_id")), action);
            case "issue" -> issueParts(action, data.path("issue"));
            case "metric_alert" -> metricAlertParts(action, data);
            default -> null;
        };
        return parts == null ? kind + ":body:" + hash(body) : kind + ":" + hash(parts);
    }

    private static String[] issueParts(String action, JsonNode issue) {
        String id = text(issue.path("id"));
        return id == null || action == null ? null : new String[] {id, action, issue.toString()};
    }

    private static String[] metricAlertParts(String action, JsonNode data) {
        JsonNode incident = data.path("metric_alert");
        String id = text(incident.path("id"));
        String started = text(incident.path("date_started"));
        String detected = text(incident.path("date_detected"));
        String closed = text(incident.path("date_closed"));
        if (id == null || action == null || started == null && detected == null && closed == null) {
            return null;
        }
        return new String[] {id, action, String.valueOf(started), String.valueOf(detected), String.valueOf(closed),
                String.valueOf(text(data.path("description_text")))};
    }

    /** All present, or null: a key from half the fields would merge alerts that differ in the rest. */
    private static String[] parts(String... parts) {
        for (String part : parts) {
            if (part == null) {
                return null;
            }
        }
        return parts;
    }

    private static String text(JsonNode node) {
        return SentryAlertNormalizer.text(node);
    }

    private static String hash(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            joined.append(part.length()).append(':').append(part).append('\n'); // length-prefixed: unambiguous
        }
        return hash(joined.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
