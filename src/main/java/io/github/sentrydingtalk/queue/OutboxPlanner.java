package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for each robot, what to send now from its outbox folder ({@code outbox/<robot>/}, one file
 * per accepted alert, oldest first) without ever exceeding the robot's rate limit: at most
 * {@code maxMessages} in any {@code window}.
 * <ul>
 * <li>While the budget lasts, alerts go out one message each.</li>
 * <li>Beyond it, the rest are folded into one digest, sent with the last free slot; what does not fit
 * the digest's size stays for the next one.</li>
 * <li>A robot with a message in flight is skipped, so each robot's messages go out in order, and a
 * robot DingTalk rate-limited anyway is paused, its files kept.</li>
 * <li>When DingTalk stays unavailable after all retries (an outage), the robot is paused too and the
 * alert kept, up to {@code giveUpAfter} after it was accepted; then it is dead-lettered.</li>
 * <li>At most {@link #BATCH} files are read per robot and plan, so a long backlog costs disk, not heap.</li>
 * </ul>
 * Files leave the outbox only when delivered or dead-lettered, so a crash loses nothing. Nothing can
 * leave a robot unable to send: every planned delivery is released exactly once, whatever ends it
 * ({@link #releaseAll} runs in a {@code finally} on the robot's thread); an unreadable file is moved to
 * {@code .corrupt/} with one WARN; one robot's planning failure never stops the others.
 */
public class OutboxPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPlanner.class);
    /** At most this many waiting alerts are read to build one digest. */
    static final int DIGEST_CANDIDATES = 500;
    /** At most this many single messages are planned per robot at a time. */
    static final int BATCH = 500;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, RobotState> states = new HashMap<>();
    /** Files of delivered alerts the disk would not let us delete: never sent twice, deleted later. */
    private final Set<Path> undeletable = ConcurrentHashMap.newKeySet();
    /** Unreadable files that could not be moved aside either: skipped, so they are warned about once. */
    private final Set<Path> unreadable = ConcurrentHashMap.newKeySet();
    private final long startedAt = System.currentTimeMillis();
    private Outbox outbox;
    private RobotRegistry robotRegistry;
    private int maxMessages = 20;
    private Duration window = Duration.ofSeconds(60);
    private Duration pause = Duration.ofMinutes(10);
    private Duration outagePause = Duration.ofSeconds(30);
    private Duration giveUpAfter = Duration.ofHours(24);
    private int digestMaxBytes = 14_000;
    private Clock clock = Clock.systemUTC();

    private static final class RobotState {
        final Deque<Long> sends = new ArrayDeque<>(); // when messages went out, oldest first
        int reserved; // planned, not yet sent
        int inFlight;
        long pausedUntil;
        String planFailure; // the last one logged, so a lasting fault logs one WARN, not one per plan
    }

    /** Where the robots' backlogs are: the same {@link Outbox} the webhook and replays put alerts into. */
    public void setOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    public void setMaxMessages(int maxMessages) {
        this.maxMessages = Settings.atLeast("dingtalk.rate-limit.max-messages", maxMessages, 1);
    }

    /** A Spring-style duration: 60s, 10m, 500ms, or ISO-8601. */
    public void setWindow(String window) {
        this.window = Durations.parsePositive("dingtalk.rate-limit.window", window);
    }

    public void setPause(String pause) {
        this.pause = Durations.parsePositive("dingtalk.rate-limit.pause", pause);
    }

    public void setOutagePause(String outagePause) {
        this.outagePause = Durations.parsePositive("dingtalk.retry.outage-pause", outagePause);
    }

    public void setGiveUpAfter(String giveUpAfter) {
        this.giveUpAfter = Durations.parseAtLeastZero("dingtalk.retry.give-up-after", giveUpAfter);
    }

    public void setDigestMaxBytes(int digestMaxBytes) {
        this.digestMaxBytes = digestMaxBytes;
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    /** The folder of a robot's pending alerts. */
    public Path folder(Robot robot) {
        return outbox.folder(robot);
    }

    /** What to send now: per robot, its messages in the order they must go out. */
    public synchronized List<List<Delivery>> plan() {
        List<List<Delivery>> plan = new ArrayList<>();
        long now = clock.millis();
        retryDeletes();
        for (Robot robot : robotRegistry.robots()) {
            RobotState state = states.computeIfAbsent(robot.name(), n -> firstLook(robot));
            if (state.inFlight > 0 || now < state.pausedUntil) {
                continue;
            }
            try {
                List<Delivery> deliveries = plan(robot, state, now);
                if (!deliveries.isEmpty()) {
                    state.reserved += deliveries.size();
                    state.inFlight = deliveries.size();
                    plan.add(deliveries);
                }
                state.planFailure = null;
            } catch (RuntimeException e) {
                // this robot waits for the next plan; the others go on
                String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!failure.equals(state.planFailure)) {
                    LOG.warn("Cannot plan the outbox of robot '{}' (tried again every plan): {}", robot.name(), failure);
                    state.planFailure = failure;
                }
            }
        }
        return plan;
    }

    private List<Delivery> plan(Robot robot, RobotState state, long now) {
        int budget = budget(state, now);
        if (budget <= 0) {
            return List.of();
        }
        List<Path> files = pending(robot);
        if (files.isEmpty()) {
            return List.of();
        }
        List<Delivery> deliveries = new ArrayList<>();
        boolean withinBudget = files.size() <= budget;
        int singles = Math.min(BATCH, withinBudget ? files.size() : budget - 1);
        for (Path file : files.subList(0, singles)) {
            read(robot, file).ifPresent(alert -> deliveries.add(new Delivery(robot, List.of(file), List.of(alert), false)));
        }
        // Only when the budget runs out here does the rest become a digest; a mere batch cut waits.
        if (!withinBudget && singles == budget - 1) {
            // A long backlog is read in slices: the oldest waiting alerts make the next digest.
            deliveries.add(digest(robot, files.subList(singles, Math.min(files.size(), singles + DIGEST_CANDIDATES))));
        }
        deliveries.removeIf(d -> d.getAlerts().isEmpty());
        return deliveries;
    }

    /** Temp files of writes that failed or were cut short before this start are removed once. */
    private RobotState firstLook(Robot robot) {
        try {
            int removed = DurableFiles.removeStaleTemps(folder(robot), startedAt);
            if (removed > 0) {
                LOG.info("Removed {} unfinished write(s) from the outbox of robot '{}'", removed, robot.name());
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean up unfinished writes in the outbox of robot '{}': {}", robot.name(), e.getMessage());
        }
        return new RobotState();
    }

    /** Most severe first, then oldest first; as many as fit one DingTalk message. */
    private Delivery digest(Robot robot, List<Path> files) {
        List<Map.Entry<Path, SentryAlert>> entries = new ArrayList<>();
        for (Path file : files) {
            read(robot, file).ifPresent(alert -> entries.add(Map.entry(file, alert)));
        }
        entries.sort(Comparator.comparingInt((Map.Entry<Path, SentryAlert> e) -> -e.getValue().severity()));
        List<Path> taken = new ArrayList<>();
        List<SentryAlert> alerts = new ArrayList<>();
        int bytes = 0;
        for (Map.Entry<Path, SentryAlert> e : entries) {
            int line = estimatedLineBytes(e.getValue());
            if (!alerts.isEmpty() && bytes + line > digestMaxBytes) {
                break; // the rest waits for the next digest
            }
            bytes += line;
            taken.add(e.getKey());
            alerts.add(e.getValue());
        }
        return new Delivery(robot, taken, alerts, true);
    }

    /** Generous: every character escaped, three bytes each, plus the Markdown around it. */
    static int estimatedLineBytes(SentryAlert a) {
        int chars = length(a.title()) + length(a.projectSlug()) + length(a.level()) + length(a.link());
        return 2 * chars * 3 + 64;
    }

    private static int length(String s) {
        return s == null ? 0 : Math.min(s.length(), 300);
    }

    /** A message reaches DingTalk a little after we count it: count each send a little longer. */
    static final long CLOCK_MARGIN_MILLIS = 500;

    private int budget(RobotState state, long now) {
        long oldest = now - window.toMillis() - CLOCK_MARGIN_MILLIS;
        while (!state.sends.isEmpty() && state.sends.peekFirst() <= oldest) {
            state.sends.removeFirst();
        }
        return maxMessages - state.sends.size() - state.reserved;
    }

    /** Called on every HTTP attempt: the reservation becomes a real send time. */
    public synchronized void sent(Delivery delivery) {
        if (delivery == null) {
            return; // a test message from the admin endpoint, outside the outbox
        }
        RobotState state = states.get(delivery.getRobot().name());
        unreserve(state, delivery);
        state.sends.addLast(clock.millis());
    }

    /** Delivered or dead-lettered: its files leave the outbox (or, if the disk refuses, are never planned again). */
    public synchronized void finished(Delivery delivery) {
        try {
            for (Path file : delivery.getFiles()) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException | RuntimeException e) {
                    undeletable.add(file);
                    LOG.warn("Cannot delete the outbox file of an alert already handled for robot '{}' ({}): it is not sent again",
                            delivery.getRobot().name(), e.getMessage());
                }
            }
        } finally {
            release(delivery);
        }
    }

    private void retryDeletes() {
        undeletable.removeIf(file -> {
            try {
                Files.deleteIfExists(file);
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
    }

    /**
     * The dead letter could not be written (full or read-only disk): the alert stays in the outbox and
     * the robot pauses like in an outage, then tries again from its oldest alert.
     */
    public synchronized void deadLetterNotWritten(Delivery delivery, Throwable failure) {
        RobotState state = states.get(delivery.getRobot().name());
        state.pausedUntil = Math.max(state.pausedUntil, clock.millis() + outagePause.toMillis());
        LOG.warn("Cannot write the dead letter for robot '{}' ({}): pausing it for {}s; {} alert(s) kept in its outbox",
                delivery.getRobot().name(), Outbox.unavailableReason(failure), outagePause.toSeconds(), delivery.getCount());
        release(delivery);
    }

    /**
     * The robot's thread is done with this batch, however it ended (an exception, an {@link Error}, a
     * failed dead-letter write): whatever was not released yet is, so the robot is planned again.
     */
    public synchronized void releaseAll(List<Delivery> batch) {
        for (Delivery delivery : batch) {
            release(delivery);
        }
    }

    /** DingTalk rate-limited the robot anyway: keep the files and leave the robot alone for a while. */
    public synchronized void rateLimited(Delivery delivery) {
        RobotState state = states.get(delivery.getRobot().name());
        state.pausedUntil = clock.millis() + pause.toMillis();
        LOG.warn("Robot '{}' is rate limited by DingTalk: pausing it for {}s; {} alert(s) kept in its outbox",
                delivery.getRobot().name(), pause.toSeconds(), delivery.getCount());
        release(delivery);
    }

    /**
     * DingTalk stayed unavailable through all retries. True: the alert is kept and the robot paused for
     * {@code outagePause} (the next plan starts again from this alert, so order holds). False: the
     * alert has waited longer than {@code giveUpAfter} and should be dead-lettered.
     */
    public synchronized boolean keptThroughOutage(Delivery delivery) {
        if (delivery == null || secondsSinceAccepted(delivery) * 1000 >= giveUpAfter.toMillis()) {
            return false;
        }
        RobotState state = states.get(delivery.getRobot().name());
        state.pausedUntil = Math.max(state.pausedUntil, clock.millis() + outagePause.toMillis());
        LOG.warn("DingTalk unavailable for robot '{}' after all retries: pausing it for {}s; {} alert(s) kept in its outbox",
                delivery.getRobot().name(), outagePause.toSeconds(), delivery.getCount());
        release(delivery);
        return true;
    }

    /**
     * The robot was paused after this delivery was planned: put it back untouched (its files stay), so
     * the rest of a batch does not run into the same wall one retry cycle at a time.
     */
    public synchronized boolean heldBack(Delivery delivery) {
        RobotState state = states.get(delivery.getRobot().name());
        if (clock.millis() >= state.pausedUntil) {
            return false;
        }
        release(delivery);
        return true;
    }

    /** Once per delivery, however many paths lead here. */
    private void release(Delivery delivery) {
        if (delivery.released) {
            return;
        }
        delivery.released = true;
        RobotState state = states.get(delivery.getRobot().name());
        unreserve(state, delivery); // a message that never went out gives its slot back
        state.inFlight = Math.max(0, state.inFlight - 1);
    }

    private static void unreserve(RobotState state, Delivery delivery) {
        if (!delivery.sent) {
            delivery.sent = true;
            state.reserved--;
        }
    }

    /** Alerts waiting in this robot's outbox. */
    public int depth(Robot robot) {
        return pending(robot).size();
    }

    /** Seconds from acceptance of the oldest alert in this message until now. */
    public double secondsSinceAccepted(Delivery delivery) {
        long oldest = delivery.getAlerts().stream().map(SentryAlert::acceptedAt).filter(Objects::nonNull)
                .mapToLong(this::epochMillis).min().orElse(clock.millis());
        return (clock.millis() - oldest) / 1000.0;
    }

    /** A hand-edited time counts as now rather than failing a delivery that went out. */
    private long epochMillis(String instant) {
        try {
            return Instant.parse(instant).toEpochMilli();
        } catch (DateTimeParseException e) {
            return clock.millis();
        }
    }

    private List<Path> pending(Robot robot) {
        List<Path> files = waiting(folder(robot));
        if (undeletable.isEmpty() && unreadable.isEmpty()) {
            return files;
        }
        return files.stream().filter(f -> !undeletable.contains(f) && !unreadable.contains(f)).toList();
    }

    /** Alert files in a folder, oldest first: {@code *.json}, not the dot-files of writes in progress. */
    static List<Path> waiting(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") && !name.startsWith(".");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<SentryAlert> read(Robot robot, Path file) {
        String why;
        try {
            SentryAlert alert = mapper.readValue(Files.readString(file, StandardCharsets.UTF_8), SentryAlert.class);
            if (alert != null) {
                return Optional.of(alert);
            }
            why = "not an alert (null)";
        } catch (NoSuchFileException e) {
            return Optional.empty(); // replaced or removed since it was listed
        } catch (IOException | RuntimeException e) {
            why = e.getClass().getSimpleName();
        }
        // Unreadable (empty, garbage, torn write before a crash, hand-edited): set aside, never retried in a loop.
        try {
            moveAside(file);
            LOG.warn("Moved unreadable outbox file {} of robot '{}' to {}/ ({})", file.getFileName(), robot.name(),
                    file.resolveSibling(CORRUPT), why);
        } catch (IOException | RuntimeException moveFailed) {
            unreadable.add(file); // not planned again while it stays
            LOG.warn("Cannot set aside unreadable outbox file {} of robot '{}' ({}): skipping it", file.getFileName(),
                    robot.name(), moveFailed.getMessage());
        }
        return Optional.empty();
    }

    /** Where unreadable files go, next to the files they came from. */
    public static final String CORRUPT = ".corrupt";

    /** Moves a file into {@code .corrupt/} beside it. */
    public static void moveAside(Path file) throws IOException {
        Path corrupt = file.resolveSibling(CORRUPT);
        Files.createDirectories(corrupt);
        Files.move(file, corrupt.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
