package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringFileIdempotentRepositoryTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);

    private ExpiringFileIdempotentRepository repository(int maxEntries) {
        ExpiringFileIdempotentRepository repo = new ExpiringFileIdempotentRepository();
        repo.setFile(dir.resolve("seen.log").toString());
        repo.setTtl("10m");
        repo.setMaxEntries(maxEntries);
        repo.setClock(new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        });
        repo.start();
        return repo;
    }

    @Test
    void remembersAcrossRestartsUntilTheKeyExpires() {
        ExpiringFileIdempotentRepository repo = repository(100);
        assertThat(repo.add("request:a")).isTrue();
        assertThat(repo.add("request:a")).isFalse();
        repo.stop();

        ExpiringFileIdempotentRepository restarted = repository(100);
        assertThat(restarted.contains("request:a")).isTrue();
        assertThat(restarted.add("request:a")).isFalse();

        now.addAndGet(10 * 60 * 1000 + 1);
        assertThat(restarted.contains("request:a")).isFalse();
        assertThat(restarted.add("request:a")).as("expired: accepted again").isTrue();
        restarted.stop();
    }

    @Test
    void isBoundedAndForgetsRemovedKeys() {
        ExpiringFileIdempotentRepository repo = repository(3);
        for (String key : new String[] {"k1", "k2", "k3", "k4"}) {
            repo.add(key);
        }
        assertThat(repo.contains("k1")).as("oldest dropped beyond maxEntries").isFalse();
        assertThat(repo.contains("k4")).isTrue();
        assertThat(repo.remove("k4")).isTrue();
        repo.stop();
        assertThat(repository(3).contains("k4")).as("a removed key stays removed after restart").isFalse();
    }
}
