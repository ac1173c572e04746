package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.util.List;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTest {

    private static final Robot OPS = new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false);

    @Test
    void aHandEditedAcceptedTimeDoesNotFailADelivery() {
        SentryAlert alert = SentryAlert.builder().id("0000000000001-a").title("alert").acceptedAt("yesterday").build();
        Delivery delivery = new Delivery(OPS, List.of(Path.of("0000000000001-a.json")), List.of(alert), false);
        assertThat(delivery.secondsSinceAccepted()).isBetween(0.0, 1.0);
    }

    @Test
    void leavingTheBacklogRunsItsActionOnce() {
        SentryAlert alert = SentryAlert.builder().id("0000000000001-a").title("alert").build();
        Delivery delivery = new Delivery(OPS, List.of(), List.of(alert), false);
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        delivery.whenRemoved(commits::incrementAndGet);
        delivery.markRemoved();
        delivery.markRemoved();
        assertThat(delivery.isRemoved()).isTrue();
        assertThat(commits.get()).isEqualTo(1);
    }

    @Test
    void theOldestAlertOfADigestCounts() {
        SentryAlert older = SentryAlert.builder().id("1").acceptedAt("2024-01-01T00:00:00Z").build();
        SentryAlert newer = SentryAlert.builder().id("2").acceptedAt("2024-01-01T00:00:30Z").build();
        Delivery digest = new Delivery(OPS, List.of(Path.of("1.json"), Path.of("2.json")), List.of(newer, older), true);
        assertThat(digest.secondsSinceAccepted(java.time.Instant.parse("2024-01-01T00:01:00Z").toEpochMilli())).isEqualTo(60.0);
    }
}
