package io.github.sentrydingtalk.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sentrydingtalk.robots.Robot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Robots that rest for a while, their alerts kept in their outboxes: rate limited by DingTalk anyway
 * ({@code pause}), DingTalk down through all retries or a dead letter that cannot be written
 * ({@code outagePause}). A paused robot's route takes nothing from its backlog until the pause ends, then
 * starts again from its oldest alert, so order holds. In memory: a restart ends every pause.
 */
public class RobotPauses {

    private static final Logger LOG = LoggerFactory.getLogger(RobotPauses.class);

    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();
    private Duration pause = Duration.ofMinutes(10);
    private Duration outagePause = Duration.ofSeconds(30);
    private Duration giveUpAfter = Duration.ofHours(24);
    private Clock clock = Clock.systemUTC();

    public void setPause(String pause) {
        this.pause = Durations.parsePositive("dingtalk.rate-limit.pause", pause);
    }

    public void setOutagePause(String outagePause) {
        this.outagePause = Durations.parsePositive("dingtalk.retry.outage-pause", outagePause);
    }

    public void setGiveUpAfter(String giveUpAfter) {
        this.giveUpAfter = Durations.parseAtLeastZero("dingtalk.retry.give-up-after", giveUpAfter);
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    public boolean isPaused(Robot robot) {
        return clock.millis() < pausedUntil.getOrDefault(robot.name(), 0L);
    }

    /** DingTalk rate-limited the robot anyway (130101, 410100): it rests for {@code pause}. */
    public void pauseRateLimited(Delivery delivery) {
        pauseFor(delivery, pause);
        LOG.warn("Robot '{}' is rate limited by DingTalk: pausing it for {}s; {} alert(s) kept in its outbox",
                delivery.getRobot().name(), pause.toSeconds(), delivery.getCount());
    }

    /** An alert DingTalk could not take (down through all retries) for longer than this is dead-lettered. */
    public boolean isPastGiveUp(Delivery delivery) {
        return delivery == null || delivery.secondsSinceAccepted(clock.millis()) * 1000 >= giveUpAfter.toMillis();
    }

    /** DingTalk stayed unavailable through all retries: keep the alert, rest for {@code outagePause}. */
    public void pauseForOutage(Delivery delivery) {
        pauseFor(delivery, outagePause);
        LOG.warn("DingTalk unavailable for robot '{}' after all retries: pausing it for {}s; {} alert(s) kept in its outbox",
                delivery.getRobot().name(), outagePause.toSeconds(), delivery.getCount());
    }

    /** The dead letter could not be written (full or read-only disk): keep the alert, rest like in an outage. */
    public void pauseDeadLetterNotWritten(Delivery delivery, Throwable failure) {
        pauseFor(delivery, outagePause);
        LOG.warn("Cannot write the dead letter for robot '{}' ({}): pausing it for {}s; {} alert(s) kept in its outbox",
                delivery.getRobot().name(), Outbox.unavailableReason(failure), outagePause.toSeconds(), delivery.getCount());
    }

    private void pauseFor(Delivery delivery, Duration duration) {
        pausedUntil.merge(delivery.getRobot().name(), clock.millis() + duration.toMillis(), Math::max);
    }
}
