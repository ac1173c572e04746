package io.github.sentrydingtalk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DeliveryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics();

    DeliveryMetricsTest() {
        metrics.setRegistry(registry);
    }

    @Test
    void countsEachMetricByRobotAndKeepsOneMeterPerRobot() {
        SentryAlert tenSecondsOld = SentryAlert.builder().id("1").acceptedAt(Instant.now().minusSeconds(10).toString()).build();
        SentryAlert now = SentryAlert.builder().id("2").acceptedAt(Instant.now().toString()).build();
        Delivery digest = new Delivery(new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false), List.of(Path.of("1.json"), Path.of("2.json")),
                List.of(now, tenSecondsOld), true);

        metrics.countDelivered("ops", digest);
        metrics.countDelivered("ops", digest);
        metrics.countDelivered("dev", digest);
        metrics.countDigested("ops", digest);
        metrics.countRetry("ops");
        metrics.countAnswer("ops", "0");
        metrics.countAnswer("ops", "310000");
        metrics.countAnswer("ops", "0");
        metrics.countAnswer("ops", null);
        metrics.countDeadLetter("dev");

        assertThat(registry.get("sentry_dingtalk_delivered").tag("robot", "ops").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("sentry_dingtalk_delivered").tag("robot", "dev").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("sentry_dingtalk_delivered").counters()).hasSize(2);
        var latency = registry.get("sentry_dingtalk_accept_to_delivered_seconds").tag("robot", "ops").summary();
        assertThat(latency.count()).isEqualTo(2);
        assertThat(latency.max()).isBetween(10.0, 60.0); // the oldest alert of the message
        assertThat(registry.get("sentry_dingtalk_digested").tag("robot", "ops").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("sentry_dingtalk_retried").tag("robot", "ops").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("sentry_dingtalk_answers").tags("robot", "ops", "errcode", "0").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("sentry_dingtalk_answers").tags("robot", "ops", "errcode", "310000").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("sentry_dingtalk_answers").tags("robot", "ops", "errcode", "no-answer").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("sentry_dingtalk_dead_lettered").tag("robot", "dev").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("sentry_dingtalk_delivered").counter().getId().getDescription()).isEqualTo("Messages DingTalk accepted");
    }
}
