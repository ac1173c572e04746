package io.github.sentrydingtalk.dingtalk;

import java.util.ArrayList;
import java.util.List;

/**
 * What sending to one DingTalk robot takes: a custom (webhook) robot's token and optional SEC secret, or an
 * enterprise app robot ({@code app}, then no token); its keyword, and who to @mention. {@link #toString()}
 * never shows a token or secret: they must not reach a log line, an exception message or a file.
 */
public record DingTalkSink(String accessToken, String secret, String keyword,
                           List<String> atMobiles, List<String> atUserIds, boolean atAll, AppRobot app) {

    /** A custom (webhook) robot. */
    public DingTalkSink(String accessToken, String secret, String keyword,
                        List<String> atMobiles, List<String> atUserIds, boolean atAll) {
        this(accessToken, secret, keyword, atMobiles, atUserIds, atAll, null);
    }

    /** An app robot: sent through DingTalk's API with the app's access token, not a webhook. */
    public boolean appRobot() {
        return app != null;
    }

    public DingTalkSink {
        secret = blankAsNull(secret);
        keyword = blankAsNull(keyword);
        atMobiles = atMobiles == null ? List.of() : List.copyOf(atMobiles);
        atUserIds = atUserIds == null ? List.of() : List.copyOf(atUserIds);
    }

    /** With a SEC secret, every request carries a timestamp and its signature. */
    public boolean signed() {
        return secret != null;
    }

    public boolean mentions() {
        return !atMobiles.isEmpty() || !atUserIds.isEmpty() || atAll;
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Its features only, e.g. {@code DingTalkSink[signed, keyword, mentions]}. */
    @Override
    public String toString() {
        List<String> features = new ArrayList<>();
        if (app != null) {
            features.add(app.toGroup() ? "app robot, group" : "app robot, one-to-one");
        }
        if (signed()) {
            features.add("signed");
        }
        if (keyword != null) {
            features.add("keyword");
        }
        if (mentions()) {
            features.add("mentions");
        }
        return "DingTalkSink" + features;
    }
}
