package io.github.sentrydingtalk.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sentrydingtalk.robots.Robot;

/**
 * Each robot's sliding window: at most {@code maxMessages} HTTP attempts, retries included, in any
 * {@code window}. {@link #takeSlot} runs before every attempt and, when the window is full, waits on the
 * calling thread (the robot's own) until the oldest attempt leaves it, so the limit holds strictly.
 * {@link #room} says how many attempts the window has left now, which decides single message or digest.
 */
public class RateLimits {

    /** A message reaches DingTalk a little after we count it: count each attempt a little longer. */
    static final long CLOCK_MARGIN_MILLIS = 500;

    /** How the calling thread waits; tests replace it to advance a clock instead. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** Told of every attempt before it goes out, with the robot's attempts still in its window. */
    public interface AttemptLog {
        void attempted(Robot robot, List<Long> attemptsInWindow);
    }

    private final Map<String, Deque<Long>> attemptsByRobot = new ConcurrentHashMap<>();
    private int maxMessages = 20;
    private Duration window = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Thread::sleep;
    /** Clustered mode only; null otherwise, so no attempt copies its robot's window for nobody. */
    private AttemptLog attemptLog;

    public void setMaxMessages(int maxMessages) {
        this.maxMessages = Settings.atLeast("dingtalk.rate-limit.max-messages", maxMessages, 1);
    }

    /** A Spring-style duration: 60s, 10m, 500ms, or ISO-8601. */
    public void setWindow(String window) {
        this.window = Durations.parsePositive("dingtalk.rate-limit.window", window);
    }

    /** Clustered mode: the robot's owner persists its attempts, so the next owner keeps to the same budget. */
    public void setAttemptLog(AttemptLog attemptLog) {
        this.attemptLog = attemptLog;
    }

    void setClock(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Attempts this robot may make now without waiting. */
    public int room(Robot robot) {
        Deque<Long> attempts = attempts(robot);
        synchronized (attempts) {
            forgetExpired(attempts, clock.millis());
            return Math.max(0, maxMessages - attempts.size());
        }
    }

    /** Counts one attempt for this robot, first waiting for a free slot when its window is full. */
    public void takeSlot(Robot robot) throws InterruptedException {
        Deque<Long> attempts = attempts(robot);
        synchronized (attempts) {
            long now = clock.millis();
            forgetExpired(attempts, now);
            while (attempts.size() >= maxMessages) {
                sleeper.sleep(Math.max(1, expiry(attempts.peekFirst()) - now));
                now = clock.millis();
                forgetExpired(attempts, now);
            }
            attempts.addLast(now);
            if (attemptLog != null) {
                attemptLog.attempted(robot, List.copyOf(attempts));
            }
        }
    }

    /**
     * The robot's last attempt got its answer (or failed): it counts from now. DingTalk counts a message
     * when it arrives, which can be well after {@link #takeSlot} on a cold start or a slow network; the
     * answer comes after that, so counting from it never frees a slot before DingTalk does.
     */
    public void attemptEnded(Robot robot) {
        Deque<Long> attempts = attempts(robot);
        synchronized (attempts) {
            if (!attempts.isEmpty()) {
                attempts.addLast(Math.max(attempts.removeLast(), clock.millis()));
            }
        }
    }

    /**
     * Adds attempts another replica made for this robot (epoch millis, as {@link AttemptLog} got them)
     * to its window; an attempt known already is not counted twice.
     */
    public void restore(Robot robot, List<Long> attemptsElsewhere) {
        Deque<Long> attempts = attempts(robot);
        synchronized (attempts) {
            TreeSet<Long> merged = new TreeSet<>(attempts);
            merged.addAll(attemptsElsewhere);
            attempts.clear();
            attempts.addAll(merged);
            forgetExpired(attempts, clock.millis());
        }
    }

    /** The robot's attempts still in its window, oldest first. */
    public List<Long> attemptsInWindow(Robot robot) {
        Deque<Long> attempts = attempts(robot);
        synchronized (attempts) {
            forgetExpired(attempts, clock.millis());
            return List.copyOf(attempts);
        }
    }

    private Deque<Long> attempts(Robot robot) {
        return attemptsByRobot.computeIfAbsent(robot.name(), n -> new ArrayDeque<>());
    }

    /** The moment an attempt made at {@code at} stops counting. */
    private long expiry(long at) {
        return at + window.toMillis() + CLOCK_MARGIN_MILLIS;
    }

    private void forgetExpired(Deque<Long> attempts, long now) {
        while (!attempts.isEmpty() && expiry(attempts.peekFirst()) <= now) {
            attempts.removeFirst();
        }
    }
}
