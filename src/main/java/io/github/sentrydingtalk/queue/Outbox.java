package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.github.sentrydingtalk.robots.Robot;

/**
 * Puts an alert in a robot's backlog, {@code outbox/<robot>/<alert id>.json}: the one way in, for
 * webhooks and dead-letter replays alike. The file is durable when {@link #put} returns (see
 * {@link DurableFiles}); if it throws, nothing was added and no temp file is left behind.
 */
public class Outbox {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]"); // compiled once, not per alert

    private Path directory;

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    public Path folder(Robot robot) {
        return directory.resolve(robot.directory());
    }

    public Path put(Robot robot, String alertId, String alertJson) throws IOException {
        return DurableFiles.write(folder(robot), fileName(alertId), alertJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Ids sort by arrival; anything else (a hand-edited dead letter) cannot leave the folder. */
    static String fileName(String alertId) {
        String safe = alertId == null || alertId.isBlank() ? "alert" : UNSAFE.matcher(alertId).replaceAll("_");
        return safe + ".json";
    }

    /**
     * Why the data directory refused an alert, for a JSON answer: the file system's own words
     * ("No space left on device", "Read-only file system"), never a path, quote or stack trace.
     */
    public static String unavailableReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException fs && fs.getReason() != null) {
                return clean(fs.getReason());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null) {
                return clean(t.getMessage()); // "No space left on device" from a write
            }
        }
        return failure == null ? "unknown" : failure.getClass().getSimpleName();
    }

    private static String clean(String text) {
        return text.replaceAll("[\"\\\\\\p{Cntrl}]", " ").trim();
    }
}
