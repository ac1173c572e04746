package io.github.sentrydingtalk.dingtalk;

import java.util.Locale;
import java.util.Set;

/**
 * What an app robot's answer means: DingTalk's newer API (api.dingtalk.com) answers a failure with an
 * HTTP status and {@code {"code": "...", "message": "..."}}, a string code, where the webhook robot had a
 * numeric errcode. Classified like the webhook's errcodes ({@link DingTalkResponseClassifier}):
 * <table>
 * <caption>code (or status) → outcome</caption>
 * <tr><td>HTTP 401, {@code InvalidAuthentication}</td><td>access token rejected: {@link #isTokenRejected}
 * (the caller fetches a new one and sends once more), then permanent</td></tr>
 * <tr><td>HTTP 429, {@code Throttling.*}, {@code *QpsLimit*}, {@code send.too.fast} and the like</td>
 * <td>rate limited: the robot pauses</td></tr>
 * <tr><td>HTTP 5xx, {@code ServiceUnavailable}, {@code InternalError}, {@code systemError}</td><td>transient: retried</td></tr>
 * <tr><td>{@code bot.stopped}, {@code robot.not.exist}, {@code *robotCode*}</td><td>permanent: check the robot</td></tr>
 * <tr><td>{@code Forbidden.AccessDenied.*}, HTTP 403</td><td>permanent: grant the app its permission</td></tr>
 * <tr><td>{@code invalidParameter.*} and any other 4xx</td><td>permanent: check the parameter named</td></tr>
 * </table>
 * Reasons name the setting to fix and never hold the app secret or an access token (DingTalk's answers
 * carry neither).
 */
public final class AppRobotErrors {

    static final Set<String> RATE_LIMIT_CODES = Set.of("send.too.fast", "send.bytoken.toofast", "too.many.group",
            "too.many.people");
    static final Set<String> SERVER_CODES = Set.of("serviceunavailable", "internalerror", "systemerror", "unknownerror");

    private AppRobotErrors() {
    }

    /** Whether the answer says the access token is invalid or expired (a fresh one may help). */
    public static boolean isTokenRejected(int status, String code) {
        return status == 401 || "invalidauthentication".equals(lower(code));
    }

    /** The failure an answer means, or null when it is a success (2xx without a code). */
    public static DeliveryException failure(int status, String code, String message) {
        String c = lower(code);
        if (c == null && status >= 200 && status < 300) {
            return null;
        }
        String said = (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
                + (message == null || message.isBlank() ? "" : ": " + truncate(message));
        if (isTokenRejected(status, code)) {
            return new PermanentDeliveryException("access token rejected, " + said
                    + ": check the app robot's app-key and app-secret", status, null, said);
        }
        if (status == 429 || c != null && (c.startsWith("throttling") || c.contains("qpslimit")
                || RATE_LIMIT_CODES.contains(c))) {
            return new RateLimitedException("rate limited, " + said + ": DingTalk limits how fast an app robot"
                    + " sends", status, null, said);
        }
        if (status >= 500 || c != null && SERVER_CODES.contains(c)) {
            return new TransientDeliveryException("DingTalk is unavailable, " + said, status, null, said);
        }
        if (c != null && (c.startsWith("bot.") || c.startsWith("robot.") || c.contains("robotcode"))) {
            return new PermanentDeliveryException("robot stopped or not found, " + said + ": check robot-code and"
                    + " that the robot is published and enabled in the DingTalk developer console", status, null, said);
        }
        if (status == 403 || c != null && c.startsWith("forbidden")) {
            return new PermanentDeliveryException("access denied, " + said + ": grant the app the permission to send"
                    + " robot messages (qyapi_robot_sendmsg) in the DingTalk developer console", status, null, said);
        }
        if (c != null && c.startsWith("invalidparameter")) {
            return new PermanentDeliveryException("DingTalk rejected a parameter, " + said + ": " + parameterHint(c),
                    status, null, said);
        }
        return new PermanentDeliveryException("DingTalk refused the message, " + said
                + ": see DingTalk's robot API documentation", status, null, said);
    }

    private static String parameterHint(String code) {
        if (code.contains("conversation")) {
            return "check open-conversation-id and that the robot was added to the group";
        }
        if (code.contains("user") || code.contains("staff")) {
            return "check user-ids (DingTalk user ids of people in the app's organisation)";
        }
        if (code.contains("msgparam") || code.contains("length") || code.contains("long")) {
            return "the message is too large or malformed (msgParam at most 15,000 bytes)";
        }
        return "check robot-code, open-conversation-id or user-ids";
    }

    private static String lower(String code) {
        return code == null || code.isBlank() ? null : code.strip().toLowerCase(Locale.ROOT);
    }

    private static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
