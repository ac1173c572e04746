package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A robot's backlog: its outbox folder ({@code outbox/<robot>/}, one file per accepted alert, oldest
 * first). Gives its route the next message, a single alert or, when more wait than the rate limit has
 * room for and one slot is left, a digest ({@link DigestFolding}). Files leave only when their message
 * was delivered or dead-lettered ({@link #remove}), so a crash loses nothing. An unreadable file is moved
 * to {@code .corrupt/} with one WARN; a file the disk will not delete is never sent again; temp files of
 * writes cut short before this start are removed on the first look.
 */
public class RobotBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(RobotBacklog.class);
    /** At most this many waiting alerts are read to build one digest: a long backlog costs disk, not heap. */
    static final int DIGEST_CANDIDATES = 500;
    /** Where unreadable files go, next to the files they came from. */
    public static final String CORRUPT = ".corrupt";

    private final ObjectMapper mapper = new ObjectMapper();
    private final long startedAt = System.currentTimeMillis();
    private final Set<String> lookedAt = ConcurrentHashMap.newKeySet();
    /** Files of delivered alerts the disk would not let us delete: never sent twice, deleted later. */
    private final Set<Path> undeletable = ConcurrentHashMap.newKeySet();
    /** Unreadable files that could not be moved aside either: skipped, so they are warned about once. */
    private final Set<Path> unreadable = ConcurrentHashMap.newKeySet();
    /**
     * Each robot's files as last listed, oldest first, until they are sent: listing (and sorting) a long
     * backlog for every message would cost more than sending it. Listed again when they are all gone,
     * and before a digest, which should see everything that waits.
     */
    private final Map<String, NavigableSet<Path>> listed = new ConcurrentHashMap<>();
    /** Robots whose last look found nothing to send while their window had room: worth waking. */
    private final Set<String> idle = ConcurrentHashMap.newKeySet();
    /** The last failure logged per robot. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private Outbox outbox;
    private int digestMaxBytes = DigestFolding.MAX_BYTES;

    /** Where the robots' backlogs are: the same {@link Outbox} the webhook and replays put alerts into. */
    public void setOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public void setDigestMaxBytes(int digestMaxBytes) {
        this.digestMaxBytes = digestMaxBytes;
    }

    /**
     * The robot's next message, or null when nothing waits or {@code room} (attempts its rate limit
     * allows now) is 0: its oldest alert alone, or a digest when more alerts wait than {@code room} and
     * only one slot is left.
     */
    public Delivery nextMessage(Robot robot, int room) {
        try {
            Delivery next = next(robot, room);
            failures.remove(robot.name());
            return next;
        } catch (RuntimeException e) {
            // the robot tries again next poll; a lasting fault (an unreadable folder) logs one WARN, not one per poll
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failure.equals(failures.put(robot.name(), failure))) {
                LOG.warn("Cannot read the outbox of robot '{}' (tried again every poll): {}", robot.name(), failure);
            }
            return null;
        }
    }

    private Delivery next(Robot robot, int room) {
        Path folder = outbox.folder(robot);
        if (lookedAt.add(robot.name())) {
            removeStaleTemps(robot, folder);
        }
        retryDeletes();
        if (room <= 0) {
            return null;
        }
        // before looking: an alert written while we look wakes the robot once more (RobotWakeUps)
        idle.add(robot.name());
        NavigableSet<Path> files = listed.computeIfAbsent(robot.name(), n -> new ConcurrentSkipListSet<>());
        if (files.isEmpty() || room == 1) {
            files.clear();
            files.addAll(pending(folder));
        }
        if (room == 1 && files.size() > 1) {
            return digest(robot, files.stream().limit(DIGEST_CANDIDATES).toList());
        }
        for (Path file = files.pollFirst(); file != null; file = files.pollFirst()) {
            if (undeletable.contains(file) || unreadable.contains(file)) {
                continue;
            }
            Optional<SentryAlert> alert = read(robot, file);
            if (alert.isPresent()) {
                idle.remove(robot.name());
                files.add(file); // it stays first until remove() takes it out
                return new Delivery(robot, List.of(file), List.of(alert.get()), false);
            }
        }
        return null;
    }

    private Delivery digest(Robot robot, List<Path> files) {
        List<DigestFolding.Waiting> waiting = new ArrayList<>();
        for (Path file : files) {
            read(robot, file).ifPresent(alert -> waiting.add(new DigestFolding.Waiting(file, alert)));
        }
        if (waiting.isEmpty()) {
            return null;
        }
        idle.remove(robot.name());
        List<DigestFolding.Waiting> taken = DigestFolding.fold(waiting, digestMaxBytes);
        if (taken.size() == 1) { // only one readable alert after all: a message of its own
            return new Delivery(robot, List.of(taken.get(0).file()), List.of(taken.get(0).alert()), false);
        }
        return new Delivery(robot, taken.stream().map(DigestFolding.Waiting::file).toList(),
                taken.stream().map(DigestFolding.Waiting::alert).toList(), true);
    }

    /** Delivered or dead-lettered: its files leave the outbox (or, if the disk refuses, are never sent again). */
    public void remove(Delivery delivery) {
        for (Path file : delivery.getFiles()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException | RuntimeException e) {
                undeletable.add(file);
                LOG.warn("Cannot delete the outbox file of an alert already handled for robot '{}' ({}): it is not sent again",
                        delivery.getRobot().name(), e.getMessage());
            }
        }
        NavigableSet<Path> files = listed.get(delivery.getRobot().name());
        if (files != null) {
            delivery.getFiles().forEach(files::remove);
        }
        delivery.markRemoved();
    }

    /**
     * True once after the robot found its backlog empty with room in its window (and no message since):
     * only then does a new alert need to wake it. A busy, paused or rate-limited robot takes new alerts
     * on its own next poll.
     */
    public boolean takeIdle(Robot robot) {
        return idle.remove(robot.name());
    }

    /** The alert of a single message; null for a digest (deliver chooses how to render by it). */
    public SentryAlert singleAlertOf(Delivery delivery) {
        return delivery.isDigest() ? null : delivery.getAlert();
    }

    /** Delivered or dead-lettered, and out of the backlog: its robot may take the next message at once. */
    public boolean isRemoved(Delivery delivery) {
        return delivery.isRemoved();
    }

    /** Alerts waiting in this robot's outbox. */
    public int depth(Robot robot) {
        return pending(outbox.folder(robot)).size();
    }

    private void removeStaleTemps(Robot robot, Path folder) {
        try {
            int removed = DurableFiles.removeStaleTemps(folder, startedAt);
            if (removed > 0) {
                LOG.info("Removed {} unfinished write(s) from the outbox of robot '{}'", removed, robot.name());
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean up unfinished writes in the outbox of robot '{}': {}", robot.name(), e.getMessage());
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

    private List<Path> pending(Path folder) {
        List<Path> files = waiting(folder);
        if (undeletable.isEmpty() && unreadable.isEmpty()) {
            return files;
        }
        return files.stream().filter(f -> !undeletable.contains(f) && !unreadable.contains(f)).toList();
    }

    /** Alert files in a folder, oldest first: {@code *.json}, not the dot-files of writes in progress. */
    public static List<Path> waiting(Path dir) {
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
            unreadable.add(file);
            LOG.warn("Cannot set aside unreadable outbox file {} of robot '{}' ({}): skipping it", file.getFileName(),
                    robot.name(), moveFailed.getMessage());
        }
        return Optional.empty();
    }

    /** Moves a file into {@code .corrupt/} beside it. */
    public static void moveAside(Path file) throws IOException {
        Path corrupt = file.resolveSibling(CORRUPT);
        Files.createDirectories(corrupt);
        Files.move(file, corrupt.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
