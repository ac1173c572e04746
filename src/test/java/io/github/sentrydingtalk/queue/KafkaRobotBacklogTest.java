package io.github.sentrydingtalk.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.github.sentrydingtalk.robots.Robot;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The clustered-mode switch, topic and group names, and the consumer settings that keep the guarantees. */
class KafkaRobotBacklogTest {

    private static final Robot OPS = new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false);

    @Test
    void withoutBootstrapServersNothingIsClusteredAndNoAttemptIsLogged() throws Exception {
        RateLimits rateLimits = new RateLimits();
        List<Robot> logged = new ArrayList<>();
        rateLimits.setAttemptLog((robot, attempts) -> logged.add(robot));
        KafkaRobotBacklog backlog = new KafkaRobotBacklog();
        backlog.setBootstrapServers(" ");
        backlog.setRateLimits(rateLimits);
        backlog.start();
        assertThat(backlog.isClustered()).isFalse();
        rateLimits.takeSlot(OPS);
        assertThat(logged).as("the on-disk mode's log stays in place").hasSize(1);
    }

    @Test
    void eachRobotIsReadFromItsOwnTopicByItsOwnGroupCommittingOnlyByHand() {
        KafkaRobotBacklog backlog = new KafkaRobotBacklog();
        backlog.setBootstrapServers("kafka:9092");
        backlog.setTopicPrefix("alerts");
        backlog.setReplicaName("pod-1");
        backlog.setMaxPollInterval("20m");
        backlog.setSessionTimeout("30s");
        assertThat(backlog.isClustered()).isTrue();
        assertThat(backlog.topic(OPS)).isEqualTo("alerts.robot.ops");

        Properties p = backlog.consumerProperties(OPS);
        assertThat(p).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "alerts.robot.ops")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1_200_000)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "pod-1.ops");
    }

    @Test
    void theReplicaIsNamedAfterItsHostUnlessNamed() {
        KafkaRobotBacklog backlog = new KafkaRobotBacklog();
        backlog.setReplicaName("");
        assertThat(backlog.replica()).isNotBlank();
    }
}
