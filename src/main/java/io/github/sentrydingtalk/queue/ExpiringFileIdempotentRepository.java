package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Which Sentry deliveries were already accepted: survives restarts (an append-only file under the
 * data directory, fsynced), is bounded ({@code maxEntries}, oldest dropped first) and forgets a key after
 * {@code ttl}. Camel's FileIdempotentRepository is bounded but never expires, hence this one.
 * <p>
 * Two steps, as Camel's idempotent consumer drives them with {@code eager} and {@code completionEager}:
 * {@link #add} only reserves the key in memory (a concurrent identical delivery is then a duplicate);
 * {@link #confirm} writes and fsyncs it once the alert is on disk; {@link #remove} (the write failed)
 * forgets it, so Sentry's retry is accepted. A duplicate's own outcome never changes the record.
 * <p>
 * Keys are stored at a fixed size: a key longer than {@value #MAX_KEY} characters, or with other
 * characters than {@code [A-Za-z0-9:_-]}, is stored as its SHA-256. File format, one line per key:
 * {@code <expiry epoch millis> <key>}; {@code 0 <key>} forgets it. The file is rewritten when it
 * holds twice as many lines as live keys.
 */
public class ExpiringFileIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    static final int MAX_KEY = 64;
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9:_-]{1," + MAX_KEY + "}");

    /** How the record reaches the disk; a test observes it. */
    interface Force {
        void force(FileChannel channel) throws IOException;
    }

    private final Map<String, Long> expiries = new LinkedHashMap<>();
    private final Set<String> reserved = new HashSet<>();
    private Path file;
    private Duration ttl = Duration.ofHours(24);
    private int maxEntries = 100_000;
    private Clock clock = Clock.systemUTC();
    private Force force = channel -> channel.force(false);
    private FileChannel channel;
    private int linesInFile;

    public void setFile(String file) {
        this.file = Path.of(file);
    }

    public void setTtl(String ttl) {
        this.ttl = Durations.parsePositive("notify.idempotency.ttl", ttl);
    }

    public void setMaxEntries(int maxEntries) {
        this.maxEntries = Settings.atLeast("notify.idempotency.max-entries", maxEntries, 1);
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    void setForce(Force force) {
        this.force = force;
    }

    @Override
    protected synchronized void doStart() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        long now = clock.millis();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    try {
                        long expiry = Long.parseLong(line.substring(0, space));
                        String key = stored(line.substring(space + 1));
                        expiries.remove(key); // a later line wins: re-added, or removed ("0 key")
                        if (expiry > now) {
                            expiries.put(key, expiry);
                        }
                    } catch (NumberFormatException ignored) {
                        // a torn last line after a crash: skip it
                    }
                }
            }
        }
        trim();
        rewrite();
    }

    @Override
    protected synchronized void doStop() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        reserved.clear();
    }

    /** Reserves the key for this delivery; false when it is already accepted or being accepted. */
    @Override
    public synchronized boolean add(String key) {
        String k = stored(key);
        if (live(k) || reserved.contains(k)) {
            return false;
        }
        reserved.add(k);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        String k = stored(key);
        return live(k) || reserved.contains(k);
    }

    /** The alert is on disk: remember the key durably. A failed record fails the exchange (no 202). */
    @Override
    public boolean confirm(Exchange exchange, String key) {
        if (isDuplicate(exchange)) {
            return true;
        }
        try {
            record(key);
        } catch (IOException | UncheckedIOException e) {
            exchange.setException(new IOException("cannot record the accepted delivery in " + file + ": " + e.getMessage(), e));
        }
        return true;
    }

    @Override
    public boolean confirm(String key) {
        try {
            record(key);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return !isDuplicate(exchange) && remove(key);
    }

    /** Accepting failed: forget the key so Sentry's retry is accepted. */
    @Override
    public boolean remove(String key) {
        String k = stored(key);
        FileChannel target;
        synchronized (this) {
            if (reserved.remove(k)) {
                return true; // never written
            }
            if (expiries.remove(k) == null) {
                return false;
            }
            target = append("0 " + k);
        }
        forceOrRewritten(target);
        return true;
    }

    @Override
    public synchronized void clear() {
        expiries.clear();
        reserved.clear();
        rewrite();
    }

    private static boolean isDuplicate(Exchange exchange) {
        return exchange != null && exchange.getProperty(ExchangePropertyKey.DUPLICATE_MESSAGE, false, Boolean.class);
    }

    private void record(String key) throws IOException {
        String k = stored(key);
        FileChannel target;
        synchronized (this) {
            if (!reserved.remove(k) && live(k)) {
                return;
            }
            long expiry = clock.millis() + ttl.toMillis();
            expiries.remove(k);
            expiries.put(k, expiry); // in memory even if the disk fails: the alert itself is accepted
            trim();
            target = append(expiry + " " + k);
        }
        forceOrRewritten(target);
    }

    /** fsync outside the lock, so concurrent deliveries share one disk flush instead of queueing for it. */
    private void forceOrRewritten(FileChannel target) {
        try {
            force.force(target);
        } catch (ClosedChannelException e) {
            synchronized (this) {
                if (target == channel) {
                    throw new UncheckedIOException(e); // closed under us (an interrupt): not durable
                }
            }
            // rewrite() replaced the file meanwhile, with this line, and fsynced it before closing this channel
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean live(String k) {
        Long expiry = expiries.get(k);
        return expiry != null && expiry > clock.millis();
    }

    /** A key as stored: short plain keys as they are, anything else as its SHA-256 (fixed size). */
    public static String stored(String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void trim() {
        long now = clock.millis();
        Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() <= now || expiries.size() > maxEntries) {
                it.remove();
            } else {
                break; // entries are in insertion order, so the rest expire later
            }
        }
    }

    /** Appends one line; returns the channel to fsync. Called under the lock. */
    private FileChannel append(String line) {
        try {
            if (!channel.isOpen()) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND); // after an interrupt
            }
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            FileChannel written = channel;
            if (++linesInFile > 2 * Math.max(expiries.size(), 1000)) {
                rewrite();
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the live keys to a temp file, fsyncs it, renames it over the record and fsyncs the folder. */
    private void rewrite() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            StringBuilder lines = new StringBuilder();
            expiries.forEach((k, expiry) -> lines.append(expiry).append(' ').append(k).append('\n'));
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                force.force(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel folder = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                folder.force(true);
            }
            if (channel != null) {
                channel.close();
            }
            linesInFile = expiries.size();
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
