package io.github.sentrydingtalk.sentry;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one alert model every Sentry payload is normalised into. Templates, routing and dead letters
 * only ever see this shape. Every field may be null: templates test with {@code ??} and leave the
 * line out. Build one with {@link #builder()}: name the fields you have, leave out the rest.
 *
 * @param kind           legacy, event_alert, error, issue or metric_alert
 * @param action         triggered, created, resolved, assigned, critical, ... (null for legacy)
 * @param requestId      Sentry's Request-ID header, when sent
 * @param title          never null: falls back to exception, message, or "Sentry alert"
 * @param location       culprit or transaction
 * @param topFrame       "file:line in function" of the newest in-app frame
 * @param triggeringRule the alert rule that fired
 * @param id             set on acceptance: sorts in order of arrival, names the alert's files
 * @param acceptedAt     when the service accepted it (ISO-8601)
 * @param issueId        Sentry's numeric issue (group) id, when the payload names one: the action buttons act on it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SentryAlert(
        String kind,
        String action,
        String requestId,
        String title,
        String projectSlug,
        String projectName,
        String environment,
        String level,
        String location,
        String message,
        String link,
        String release,
        String platform,
        String exceptionType,
        String exceptionValue,
        String topFrame,
        String user,
        String requestUrl,
        Map<String, String> tags,
        String triggeringRule,
        Issue issue,
        MetricAlert metricAlert,
        String id,
        String acceptedAt,
        String issueId) {

    /**
     * Short on purpose: Camel's Simple language stringifies both sides of every comparison that is false
     * ({@code ${variable.alert} == null} for each alert), and a record's default toString of all these
     * fields cost about 1 % of the CPU under load (JFR, bench/results.md fifth session).
     */
    @Override
    public String toString() {
        return "SentryAlert[id=" + id + ", kind=" + kind + ", project=" + projectSlug + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this alert, to change a few. */
    public Builder toBuilder() {
        return new Builder().kind(kind).action(action).requestId(requestId).title(title).projectSlug(projectSlug)
                .projectName(projectName).environment(environment).level(level).location(location).message(message)
                .link(link).release(release).platform(platform).exceptionType(exceptionType)
                .exceptionValue(exceptionValue).topFrame(topFrame).user(user).requestUrl(requestUrl).tags(tags)
                .triggeringRule(triggeringRule).issue(issue).metricAlert(metricAlert).id(id).acceptedAt(acceptedAt).issueId(issueId);
    }

    /** This alert as accepted now under {@code id}. */
    public SentryAlert accepted(String id, String acceptedAt) {
        return toBuilder().id(id).acceptedAt(acceptedAt).build();
    }

    /** This alert with its title cut to {@code max} characters (never inside a surrogate pair). */
    public SentryAlert withShortTitle(int max) {
        if (title == null || title.codePointCount(0, title.length()) <= max) {
            return this;
        }
        return toBuilder().title(title.substring(0, title.offsetByCodePoints(0, max)) + "…").build();
    }

    /** Severity for ordering digests: fatal 4, error 3, warning 2, info 1, debug 0, unknown -1. */
    public int severity() {
        if (level == null) {
            return -1;
        }
        return switch (level.toLowerCase(java.util.Locale.ROOT)) {
            case "fatal", "critical" -> 4;
            case "error" -> 3;
            case "warning", "warn" -> 2;
            case "info" -> 1;
            case "debug" -> 0;
            default -> -1;
        };
    }

    /**
     * What only issue webhooks carry. {@code actor} is who resolved, assigned or archived it;
     * {@code substatus} (e.g. archived_until_escalating) and {@code statusDetails} (ignoreCount,
     * ignoreWindow, ignoreUserCount, ignoreUserWindow, ignoreUntil, ignoreDuration) say how long an
     * archived issue stays quiet.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Issue(String shortId, String count, String userCount, String firstSeen, String lastSeen,
                        String assignee, String actor, String status, String substatus, Map<String, String> statusDetails) {

        public Issue(String shortId, String count, String userCount, String firstSeen, String lastSeen,
                     String assignee, String actor, String status) {
            this(shortId, count, userCount, firstSeen, lastSeen, assignee, actor, status, null, null);
        }
    }

    /** What only metric alert webhooks carry; {@code started} is when the incident started (ISO-8601). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record MetricAlert(String status, String ruleTitle, String descriptionTitle, String descriptionText,
                              String started) {
    }

    /** Names each field it sets; whatever is not set stays null. */
    public static final class Builder {
        private String kind;
        private String action;
        private String requestId;
        private String title;
        private String projectSlug;
        private String projectName;
        private String environment;
        private String level;
        private String location;
        private String message;
        private String link;
        private String release;
        private String platform;
        private String exceptionType;
        private String exceptionValue;
        private String topFrame;
        private String user;
        private String requestUrl;
        private Map<String, String> tags;
        private String triggeringRule;
        private Issue issue;
        private MetricAlert metricAlert;
        private String id;
        private String acceptedAt;
        private String issueId;

        private Builder() {
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder projectSlug(String projectSlug) {
            this.projectSlug = projectSlug;
            return this;
        }

        public Builder projectName(String projectName) {
            this.projectName = projectName;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder level(String level) {
            this.level = level;
            return this;
        }

        public Builder location(String location) {
            this.location = location;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder link(String link) {
            this.link = link;
            return this;
        }

        public Builder release(String release) {
            this.release = release;
            return this;
        }

        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        public Builder exceptionType(String exceptionType) {
            this.exceptionType = exceptionType;
            return this;
        }

        public Builder exceptionValue(String exceptionValue) {
            this.exceptionValue = exceptionValue;
            return this;
        }

        public Builder topFrame(String topFrame) {
            this.topFrame = topFrame;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder requestUrl(String requestUrl) {
            this.requestUrl = requestUrl;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder triggeringRule(String triggeringRule) {
            this.triggeringRule = triggeringRule;
            return this;
        }

        public Builder issue(Issue issue) {
            this.issue = issue;
            return this;
        }

        public Builder metricAlert(MetricAlert metricAlert) {
            this.metricAlert = metricAlert;
            return this;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder acceptedAt(String acceptedAt) {
            this.acceptedAt = acceptedAt;
            return this;
        }

        public Builder issueId(String issueId) {
            this.issueId = issueId;
            return this;
        }

        public SentryAlert build() {
            return new SentryAlert(kind, action, requestId, title, projectSlug, projectName, environment, level,
                    location, message, link, release, platform, exceptionType, exceptionValue, topFrame, user,
                    requestUrl, tags, triggeringRule, issue, metricAlert, id, acceptedAt, issueId);
        }
    }
}
