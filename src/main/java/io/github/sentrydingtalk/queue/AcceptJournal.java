package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes outbox files durable with one fsync shared by every webhook accepted meanwhile (group commit),
 * instead of two fsyncs per file (its bytes, its folder). {@link #write} writes the file under a temp
 * name (no fsync) and hands the same bytes, as a journal record, to the journal's one writer thread;
 * that thread appends every record waiting, fsyncs once, and releases their webhooks, which then rename
 * their files into the robots' backlogs and answer 202. A robot never sees an alert that is not yet on
 * disk. While the writer waits for the disk, the next webhooks queue: the batch is whatever arrived
 * meanwhile, so a lone webhook pays one fsync and a burst shares them (no timer, no commit window).
 * <p>
 * Every {@code checkpointInterval} the journal moves on to a new segment and fsyncs those files of the
 * old one that still wait (an alert delivered by then is gone and costs no fsync at all), their folders,
 * and deletes the old segment. So the journal holds about the last second of accepted alerts.
 * <p>
 * At start, segments a crash left behind are replayed before any robot looks at its backlog. Each
 * segment names the boot it was written in ({@code /proc/sys/kernel/random/boot_id}). The same boot (the
 * process was killed, the machine kept running): every write reached the kernel, so a file that exists
 * is complete (fsynced now), a file that is missing was delivered, except when its temp file is still
 * there (killed between the fsync and the rename: written again). Another boot (a power cut, a kernel
 * crash, or no boot id): a file that is missing or differs from its record is written again from the
 * record; an alert delivered in the last second before the crash may then go out twice, never lost.
 * <p>
 * Record format, one line each: {@code <crc32 hex> <base64 path within the outbox> <base64 bytes>}; a
 * torn last line (the crash hit the append) fails its checksum and is skipped: it never had its fsync,
 * so no 202 was answered for it.
 */
public class AcceptJournal {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptJournal.class);
    static final String HEADER = "sentry-dingtalk accept journal 1, boot ";
    static final String SUFFIX = ".journal";
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /**
     * One journal file: its records' outbox files (the writer's), and how many of them are not yet renamed
     * into the outbox (guarded by the segment itself).
     */
    private static final class Segment {
        final Path file;
        final FileChannel channel;
        final List<Path> files = new ArrayList<>();
        int unfinished;
        boolean damaged;

        Segment(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }
    }

    /** How a journal segment reaches the disk; a test observes it. */
    interface Force {
        void force(FileChannel channel) throws IOException;
    }

    /** A webhook's record, waiting for the writer: done once it is on disk, with its segment. */
    private record Pending(byte[] record, Path target, CompletableFuture<Segment> done) {
    }

    private static final Pending STOP = new Pending(new byte[0], null, null);

    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private Thread writer;
    private Force force = channel -> channel.force(false);
    private Path directory;
    private Path outbox;
    private Duration checkpointInterval = Duration.ofSeconds(1);
    private String bootId = readBootId(BOOT_ID);
    private ScheduledExecutorService checkpoints;
    /** Guarded by this: the segment the writer appends to, and those moved away from. */
    private Segment current;
    /** Segments moved away from, oldest first, whose files are not fsynced yet (a checkpoint failed). */
    private final List<Segment> closed = new ArrayList<>();
    private long nextNumber;
    private String lastFailure;

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    /** The outbox folder the records' paths are relative to. */
    public void setOutbox(String outbox) {
        this.outbox = Path.of(outbox);
    }

    public void setCheckpointInterval(String interval) {
        this.checkpointInterval = Durations.parsePositive("notify.journal.checkpoint-interval", interval);
    }

    void setForce(Force force) {
        this.force = force;
    }

    void setBootId(String bootId) {
        this.bootId = bootId;
    }

    /** Replays what a crash left, then opens a new segment and starts the checkpoints. */
    public synchronized void start() throws IOException {
        Files.createDirectories(directory);
        List<Path> left = segments();
        int restored = 0;
        for (Path segment : left) {
            restored += replay(segment);
        }
        for (Path segment : left) {
            Files.delete(segment);
        }
        if (!left.isEmpty()) {
            DurableFiles.forceFolder(directory);
        }
        if (restored > 0) {
            LOG.info("Accept journal: {} accepted alert(s) written again into the outbox after an unclean stop", restored);
        }
        nextNumber = left.isEmpty() ? 1 : number(left.get(left.size() - 1)) + 1;
        current = openSegment();
        writer = new Thread(this::writeBatches, "accept-journal-writer");
        writer.setDaemon(true);
        writer.start();
        checkpoints = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "accept-journal-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        long every = checkpointInterval.toMillis();
        checkpoints.scheduleWithFixedDelay(this::checkpointQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops the writer (after the records already handed to it), then a last checkpoint: no journal is left. */
    public void stop() throws IOException {
        if (checkpoints == null) {
            return;
        }
        checkpoints.shutdown();
        try {
            waiting.add(STOP);
            writer.join(10_000);
            checkpoints.awaitTermination(10, TimeUnit.SECONDS);
            checkpoint();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the journal stays and is replayed at the next start
        }
        synchronized (this) {
            current.channel.close();
            Files.deleteIfExists(current.file);
            current = null;
            checkpoints = null;
        }
    }

    /**
     * Puts {@code content} durably at {@code target} (a path under the outbox): on disk when this returns,
     * visible to the robot only then. If it throws, the file was not added.
     */
    public Path write(Path target, byte[] content) throws IOException {
        Path temp = DurableFiles.writeTemp(target.getParent(), target.getFileName().toString(), content, false);
        Segment segment = null;
        try {
            Pending pending = new Pending(record(outbox.relativize(target), content), target, new CompletableFuture<>());
            if (writer == null || !writer.isAlive()) {
                throw new IllegalStateException("the accept journal is not running");
            }
            waiting.add(pending);
            segment = onDisk(pending);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException | RuntimeException | Error e) {
            DurableFiles.removeQuietly(temp, e);
            throw e;
        } finally {
            if (segment != null) {
                synchronized (segment) {
                    segment.unfinished--;
                    segment.notifyAll();
                }
            }
        }
    }

    private static Segment onDisk(Pending pending) throws IOException {
        try {
            return pending.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the disk", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /** The writer thread: every record waiting, one append, one fsync; until {@link #STOP}. */
    private void writeBatches() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(waiting.take());
            } catch (InterruptedException e) {
                return; // not from stop(), which hands over STOP instead: an interrupt could close the channel mid-write
            }
            waiting.drainTo(batch);
            stopping = batch.remove(STOP); // records handed over before the stop are still written
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            batch.clear();
        }
    }

    /**
     * Appends the batch and fsyncs it, or nothing (a write cut short, by a full disk say, is cut off again
     * so the next record does not start mid-line; if even that fails, the segment takes no more records).
     */
    private void writeBatch(List<Pending> batch) {
        Segment segment;
        try {
            synchronized (this) {
                if (current.damaged) {
                    moveToNewSegment();
                }
                segment = current;
                long start = segment.channel.position();
                try {
                    ByteBuffer[] records = new ByteBuffer[batch.size()];
                    long bytes = 0;
                    for (int i = 0; i < records.length; i++) {
                        records[i] = ByteBuffer.wrap(batch.get(i).record());
                        bytes += records[i].remaining();
                    }
                    for (long written = 0; written < bytes; ) {
                        written += segment.channel.write(records);
                    }
                    force.force(segment.channel);
                } catch (IOException | RuntimeException e) {
                    try {
                        segment.channel.truncate(start);
                        segment.channel.position(start);
                    } catch (IOException | RuntimeException notCut) {
                        e.addSuppressed(notCut);
                        segment.damaged = true;
                    }
                    throw e;
                }
                for (Pending pending : batch) {
                    segment.files.add(pending.target());
                }
                synchronized (segment) {
                    segment.unfinished += batch.size();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            batch.forEach(pending -> pending.done().completeExceptionally(e));
            return;
        }
        batch.forEach(pending -> pending.done().complete(segment));
    }

    /** Records waiting for the writer (a test waits for a batch to form). */
    int waitingRecords() {
        return waiting.size();
    }

    void checkpointQuietly() {
        try {
            checkpoint();
            if (lastFailure != null) {
                LOG.info("Accept journal: checkpoint works again");
                lastFailure = null;
            }
        } catch (IOException | RuntimeException e) {
            String reason = Outbox.unavailableReason(e);
            if (!reason.equals(lastFailure)) {
                LOG.warn("Accept journal: cannot fsync the outbox files of the last second ({}); the journal keeps them and tries again",
                        reason);
                lastFailure = reason;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Moves on to a new segment, then makes the old segments' files durable on their own (each still
     * waiting file fsynced, their folders fsynced) and deletes those segments.
     */
    void checkpoint() throws IOException, InterruptedException {
        List<Segment> done;
        synchronized (this) {
            if (!current.files.isEmpty()) {
                moveToNewSegment();
            }
            done = new ArrayList<>(closed);
        }
        for (Segment segment : done) {
            synchronized (segment) {
                while (segment.unfinished > 0) {
                    segment.wait(); // a webhook between its fsync and its rename: the file is about to appear
                }
            }
        }
        if (done.isEmpty()) {
            return;
        }
        Set<Path> folders = new LinkedHashSet<>();
        for (Segment segment : done) {
            for (Path file : segment.files) {
                if (forceIfPresent(file)) {
                    folders.add(file.getParent());
                }
            }
        }
        for (Path folder : folders) {
            DurableFiles.forceFolder(folder);
        }
        for (Segment segment : done) {
            segment.channel.close();
            Files.deleteIfExists(segment.file);
        }
        DurableFiles.forceFolder(directory);
        synchronized (this) {
            closed.removeAll(done);
        }
    }

    /** fsyncs a file still waiting in the outbox; false when it is gone (delivered, dead-lettered). */
    private static boolean forceIfPresent(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(false);
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /**
     * Called under the lock, so never during a batch: every record of the old segment was fsynced by
     * the writer before its webhook went on.
     */
    private void moveToNewSegment() throws IOException {
        Segment next = openSegment();
        closed.add(current);
        current = next;
    }

    private Segment openSegment() throws IOException {
        Path file = directory.resolve(String.format("%016d", nextNumber++) + SUFFIX);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Segment segment = new Segment(file, channel);
        append(segment, (HEADER + (bootId == null ? "unknown" : bootId) + "\n").getBytes(StandardCharsets.US_ASCII));
        // the header needs no fsync of its own: the first record's flush carries it
        return segment;
    }

    private static void append(Segment segment, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            segment.channel.write(buffer);
        }
    }

    static byte[] record(Path relative, byte[] content) {
        Base64.Encoder base64 = Base64.getEncoder();
        String body = base64.encodeToString(relative.toString().getBytes(StandardCharsets.UTF_8)) + " "
                + base64.encodeToString(content);
        return (crc(body) + " " + body + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return Long.toHexString(crc.getValue());
    }

    /** Writes again what a crash may have lost of one segment's files; how many were written. */
    private int replay(Path segment) throws IOException {
        List<String> lines = Arrays.asList(Files.readString(segment, StandardCharsets.US_ASCII).split("\n", -1));
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) {
            LOG.warn("Accept journal: {} is not a journal segment; left alone", segment.getFileName());
            return 0;
        }
        String writtenIn = lines.get(0).substring(HEADER.length());
        boolean sameBoot = bootId != null && bootId.equals(writtenIn);
        int restored = 0;
        Set<Path> folders = new LinkedHashSet<>();
        // the last element follows the last "\n": empty, or a torn record
        for (String line : lines.subList(1, lines.size() - 1)) {
            String[] parts = line.split(" ");
            if (parts.length != 3 || !crc(parts[1] + " " + parts[2]).equals(parts[0])) {
                LOG.warn("Accept journal: skipped a damaged record in {}", segment.getFileName());
                continue;
            }
            Path target = outbox.resolve(new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8)).normalize();
            if (!target.startsWith(outbox.normalize())) {
                LOG.warn("Accept journal: skipped a record outside the outbox in {}", segment.getFileName());
                continue;
            }
            byte[] content = Base64.getDecoder().decode(parts[2]);
            if (needsWriting(target, content, sameBoot)) {
                DurableFiles.write(target.getParent(), target.getFileName().toString(), content);
                restored++;
            } else if (forceIfPresent(target)) {
                folders.add(target.getParent());
            }
        }
        for (Path folder : folders) {
            DurableFiles.forceFolder(folder);
        }
        return restored;
    }

    private static boolean needsWriting(Path target, byte[] content, boolean sameBoot) throws IOException {
        if (sameBoot) {
            // the kernel kept every write: missing means delivered, unless the rename never happened
            return !Files.exists(target) && DurableFiles.hasTemp(target.getParent(), target.getFileName().toString());
        }
        return !Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), content);
    }

    private List<Path> segments() throws IOException {
        Set<Path> found = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            files.forEach(found::add);
        }
        return new ArrayList<>(found);
    }

    private static long number(Path segment) {
        String name = segment.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String readBootId(Path file) {
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return id.isEmpty() ? null : id;
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: every replay writes again what may be lost
        }
    }
}
