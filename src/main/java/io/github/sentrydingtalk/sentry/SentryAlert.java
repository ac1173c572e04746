package io.github.sentrydingtalk.sentry;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one alert model every Sentry payload is normalised into. Templates, routing and dead letters
 * only ever see this shape. Every field may be null: templates test with {@code ??} and leave the
 * line out.
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
        String acceptedAt) {

    /** This alert as accepted now under {@code id}. */
    public SentryAlert accepted(String id, String acceptedAt) {
        return with(title, id, acceptedAt);
    }

    /** This alert with its title cut to {@code max} characters (never inside a surrogate pair). */
    public SentryAlert withShortTitle(int max) {
        if (title == null || title.codePointCount(0, title.length()) <= max) {
            return this;
        }
        return with(title.substring(0, title.offsetByCodePoints(0, max)) + "…", id, acceptedAt);
    }

    private SentryAlert with(String newTitle, String newId, String newAcceptedAt) {
        return new SentryAlert(kind, action, requestId, newTitle, projectSlug, projectName, environment, level, location,
                message, link, release, platform, exceptionType, exceptionValue, topFrame, user, requestUrl, tags,
                triggeringRule, issue, metricAlert, newId, newAcceptedAt);
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

    /** What only issue webhooks carry. {@code actor} is who resolved, assigned or ignored it. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Issue(String shortId, String count, String userCount, String firstSeen, String lastSeen,
                        String assignee, String actor, String status) {
    }

    /** What only metric alert webhooks carry. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record MetricAlert(String status, String ruleTitle, String descriptionTitle, String descriptionText) {
    }
}
