package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

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
        repo.confirm("request:a"); // the alert is on disk
        assertThat(repo.add("request:a")).isFalse();
        repo.stop();

        ExpiringFileIdempotentRepository restarted = repository(100);
        assertThat(restarted.contains("request:a")).isTrue();
        assertThat(restarted.add("request:a")).isFalse();

        now.addAndGet(10 * 60 * 1000 + 1);
        assertThat(restarted.contains("request:a")).isFalse();
        assertThat(restarted.add("request:a")).as("expired: accepted again").isTrue();
        restarted.confirm("request:a");
        restarted.stop();
    }

    @Test
    void isBoundedAndForgetsRemovedKeys() {
        ExpiringFileIdempotentRepository repo = repository(3);
        for (String key : new String[] {"k1", "k2", "k3", "k4"}) {
            repo.add(key);
            repo.confirm(key);
        }
        assertThat(repo.contains("k1")).as("oldest dropped beyond maxEntries").isFalse();
        assertThat(repo.contains("k4")).isTrue();
        assertThat(repo.remove("k4")).isTrue();
        repo.stop();
        assertThat(repository(3).contains("k4")).as("a removed key stays removed after restart").isFalse();
    }

    @Test
    void aKeyIsRecordedOnlyOnceItsAlertIsAccepted() {
        ExpiringFileIdempotentRepository repo = repository(100);
        assertThat(repo.add("event_alert:a")).isTrue();
        assertThat(repo.add("event_alert:a")).as("a concurrent identical delivery is a duplicate").isFalse();
        assertThat(repo.remove("event_alert:a")).as("writing the alert failed").isTrue();
        assertThat(repo.add("event_alert:a")).as("Sentry's retry is accepted").isTrue();
        repo.stop(); // never confirmed: the alert was not accepted

        assertThat(repository(100).contains("event_alert:a")).isFalse();
    }

    @Test
    void everyRecordedKeyIsOnDiskWhenItIsFsynced() throws Exception {
        ExpiringFileIdempotentRepository repo = repository(100);
        List<String> atEachForce = new ArrayList<>();
        repo.setForce(channel -> {
            channel.force(false);
            atEachForce.add(Files.readString(dir.resolve("seen.log")));
        });
        repo.add("issue:k1");
        assertThat(atEachForce).as("nothing is written for a reserved key").isEmpty();
        repo.confirm("issue:k1");
        assertThat(atEachForce).singleElement().satisfies(file -> assertThat(file).contains(" issue:k1\n"));
        repo.remove("issue:k1");
        assertThat(atEachForce).hasSize(2).last().satisfies(file -> assertThat(file).endsWith("0 issue:k1\n"));
        repo.stop();
    }

    @Test
    void longKeysAreStoredAtAFixedSize() throws Exception {
        String huge = "request:" + "r".repeat(7_000);
        ExpiringFileIdempotentRepository repo = repository(100);
        repo.add(huge);
        repo.confirm(huge);
        assertThat(repo.add(huge)).isFalse();
        repo.stop();
        assertThat(Files.readAllLines(dir.resolve("seen.log"))).singleElement()
                .satisfies(line -> assertThat(line).hasSizeLessThanOrEqualTo(13 + 1 + 64).doesNotContain("rrrr"));
        assertThat(repository(100).contains(huge)).isTrue();
    }

    @Test
    void aDuplicatesOutcomeDoesNotChangeTheRecord() {
        ExpiringFileIdempotentRepository repo = repository(100);
        Exchange duplicate = new DefaultExchange(new DefaultCamelContext());
        duplicate.setProperty(ExchangePropertyKey.DUPLICATE_MESSAGE, true);
        repo.add("legacy:body:x");
        repo.remove(duplicate, "legacy:body:x");
        assertThat(repo.contains("legacy:body:x")).as("still being accepted by the first delivery").isTrue();
        repo.confirm(duplicate, "legacy:body:x");
        repo.stop();
        assertThat(repository(100).contains("legacy:body:x")).as("not recorded for the first delivery").isFalse();
    }

    @Test
    void aRecordThatCannotBeWrittenFailsTheExchangeAndTheKeyStaysAccepted() {
        ExpiringFileIdempotentRepository repo = repository(100);
        repo.setForce(channel -> {
            throw new IOException("No space left on device");
        });
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        repo.add("error:e1");
        repo.confirm(exchange, "error:e1");
        assertThat(exchange.getException()).hasMessageContaining("No space left on device");
        // The alert itself is in the outbox: Sentry's retry of it is a duplicate while the process runs.
        assertThat(repo.add("error:e1")).isFalse();
        repo.stop();
    }
}
