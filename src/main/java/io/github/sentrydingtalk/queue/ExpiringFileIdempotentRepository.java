package io.github.sentrydingtalk.queue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Which Sentry deliveries were already accepted: survives restarts (an append-only file under the
 * data directory), is bounded ({@code maxEntries}, oldest dropped first) and forgets a key after
 * {@code ttl}. Camel's FileIdempotentRepository is bounded but never expires, hence this one.
 * <p>
 * File format, one line per key: {@code <expiry epoch millis> <key>}. The file is rewritten when it
 * holds twice as many lines as live keys.
 */
public class ExpiringFileIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final Map<String, Long> expiries = new LinkedHashMap<>();
    private Path file;
    private Duration ttl = Duration.ofHours(24);
    private int maxEntries = 100_000;
    private Clock clock = Clock.systemUTC();
    private BufferedWriter writer;
    private int linesInFile;

    public void setFile(String file) {
        this.file = Path.of(file);
    }

    public void setTtl(String ttl) {
        this.ttl = Durations.parse(ttl);
    }

    public void setMaxEntries(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    void setClock(Clock clock) {
        this.clock = clock;
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
                        String key = line.substring(space + 1);
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
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    @Override
    public synchronized boolean add(String key) {
        long now = clock.millis();
        Long expiry = expiries.get(key);
        if (expiry != null && expiry > now) {
            return false;
        }
        expiries.remove(key);
        long newExpiry = now + ttl.toMillis();
        expiries.put(key, newExpiry);
        trim();
        append(newExpiry + " " + key);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        Long expiry = expiries.get(key);
        return expiry != null && expiry > clock.millis();
    }

    @Override
    public synchronized boolean remove(String key) {
        // Accepting failed: forget the key so Sentry's retry is accepted. Written as an expired line.
        boolean removed = expiries.remove(key) != null;
        if (removed) {
            append("0 " + key);
        }
        return removed;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        expiries.clear();
        rewrite();
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

    private void append(String line) {
        try {
            writer.write(line);
            writer.newLine();
            writer.flush();
            if (++linesInFile > 2 * Math.max(expiries.size(), 1000)) {
                rewrite();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rewrite() {
        try {
            if (writer != null) {
                writer.close();
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            List<String> lines = expiries.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList();
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            linesInFile = lines.size();
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
