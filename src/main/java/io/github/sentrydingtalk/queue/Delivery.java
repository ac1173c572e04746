package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.util.List;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * One DingTalk message planned for one robot: a single alert, or a digest of alerts that did not fit
 * the robot's rate limit (most severe first). {@code files} are the outbox files it came from; they
 * are deleted once the message is delivered or dead-lettered.
 */
public final class Delivery {

    private final Robot robot;
    private final List<Path> files;
    private final List<SentryAlert> alerts;
    private final boolean digest;
    volatile boolean sent;
    volatile boolean released;

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

    @Override
    public String toString() {
        return (digest ? "digest of " + alerts.size() + " alerts" : "alert " + alerts.get(0).id()) + " for " + robot;
    }
}
