package io.github.sentrydingtalk.dingtalk;

import java.util.List;

/**
 * One DingTalk group robot. {@link #toString()} names the robot only: the token and secret must
 * never reach a log line, an exception message or a file.
 *
 * @param dryRun true for the stand-in robot used when none is configured: its messages are logged
 *               and written to the data directory instead of sent
 */
public record Robot(String name, String accessToken, String secret, String keyword,
                    List<String> atMobiles, List<String> atUserIds, boolean atAll, boolean dryRun) {

    public Robot {
        atMobiles = List.copyOf(atMobiles);
        atUserIds = List.copyOf(atUserIds);
    }

    public boolean signed() {
        return secret != null && !secret.isBlank();
    }

    /** The robot's folder name under outbox/: its name, made safe for any file system. */
    public String directory() {
        return name.replaceAll("[^\\p{L}\\p{N}._-]", "_");
    }

    @Override
    public String toString() {
        return "Robot[" + name + "]";
    }
}
