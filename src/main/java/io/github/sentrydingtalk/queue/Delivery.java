package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * One DingTalk message taken from a robot's backlog: a single alert, or a digest of alerts that did not
 * fit the robot's rate limit (most severe first). {@code files} are the outbox files it came from; they
 * are deleted once the message is delivered or dead-lettered ({@link RobotBacklog#remove}).
 */
public final class Delivery {

    private final Robot robot;
    private final List<Path> files;
    private final List<SentryAlert> alerts;
    private final boolean digest;
    private volatile boolean removed;
    private volatile Runnable whenRemoved = () -> { };

    Delivery(Robot robot, List<Path> files, List<SentryAlert> alerts, boolean digest) {
        this.robot = robot;
        this.files = List.copyOf(files);
        this.alerts = List.copyOf(alerts);
        this.digest = digest;
    }

    public Robot getRobot() {
        return robot;
    }

    public List<Path> getFiles() {
        return files;
    }

    public List<SentryAlert> getAlerts() {
        return alerts;
    }

    /** The alert of a single message. */
    public SentryAlert getAlert() {
        return alerts.get(0);
    }

    public boolean isDigest() {
        return digest;
    }

    public int getCount() {
        return alerts.size();
    }

    /** Delivered or dead-lettered, and out of the backlog: the robot may take its next message at once. */
    public boolean isRemoved() {
        return removed;
    }

    /**
     * Out of the backlog (called by {@link RobotBacklog#remove} from deliver or dead-letter): a Kafka
     * backlog commits its offsets here, inside that route, since a failure its error handler handled
     * (a dead letter, say) ends the exchange there and the robot's route runs no step after deliver.
     */
    void markRemoved() {
        if (!removed) {
            removed = true;
            whenRemoved.run();
        }
    }

    /** What leaving the backlog takes besides deleting files (a Kafka commit). */
    void whenRemoved(Runnable action) {
        this.whenRemoved = action;
    }

    /** Seconds from acceptance of the oldest alert in this message until now. */
    public double secondsSinceAccepted() {
        return secondsSinceAccepted(System.currentTimeMillis());
    }

    /** A hand-edited time counts as now rather than failing a delivery that went out. */
    double secondsSinceAccepted(long now) {
        long oldest = alerts.stream().map(SentryAlert::acceptedAt).filter(Objects::nonNull)
                .mapToLong(instant -> epochMillis(instant, now)).min().orElse(now);
        return (now - oldest) / 1000.0;
    }

    private static long epochMillis(String instant, long now) {
        try {
            return Instant.parse(instant).toEpochMilli();
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    @Override
    public String toString() {
        return (digest ? "digest of " + alerts.size() + " alerts" : "alert " + alerts.get(0).id()) + " for " + robot;
    }
}
