package io.github.sentrydingtalk.dingtalk;

import java.util.List;

/**
 * An enterprise app robot (DingTalk's 企业内部应用机器人): the app's key and secret, which get an access
 * token, and the robot's code; it sends to a group ({@code openConversationId}) or one-to-one to users
 * ({@code userIds}), one of the two. {@link #toString()} never shows the app secret.
 */
public record AppRobot(String appKey, String appSecret, String robotCode, String openConversationId,
                       List<String> userIds) {

    public AppRobot {
        openConversationId = openConversationId == null || openConversationId.isBlank() ? null : openConversationId;
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
    }

    /** A group's robot (openConversationId), else one-to-one (userIds). */
    public boolean toGroup() {
        return openConversationId != null;
    }

    /** The user ids as a comma list (the dingtalk-sink Kamelet's userIds). */
    public String commaUserIds() {
        return String.join(",", userIds);
    }

    /** Where it sends, under {@code {api-base-url}/v1.0/robot/}. */
    public String sendPath() {
        return toGroup() ? "groupMessages/send" : "oToMessages/batchSend";
    }

    /** What is missing or contradictory, in the Kamelet's parameter names; null when it can send. */
    public String problem() {
        if (blank(appKey)) {
            return "appKey is missing (the app's AppKey / Client ID)";
        }
        if (blank(appSecret)) {
            return "appSecret is missing (the app's AppSecret / Client Secret)";
        }
        if (blank(robotCode)) {
            return "robotCode is missing (the robot's RobotCode, usually the AppKey)";
        }
        if (toGroup() == !userIds.isEmpty()) {
            return "set exactly one of openConversationId (a group) and userIds (one-to-one)";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "AppRobot[" + (toGroup() ? "group" : "one-to-one, " + userIds.size() + " user(s)") + "]";
    }
}
