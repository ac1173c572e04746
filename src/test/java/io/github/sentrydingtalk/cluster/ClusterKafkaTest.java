package io.github.sentrydingtalk.cluster;

import java.util.List;
import java.util.Map;

import io.github.sentrydingtalk.queue.ExpiringFileIdempotentRepository;
import io.github.sentrydingtalk.robots.Robot;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterKafkaTest {

    static List<Robot> robots(String... names) {
        return java.util.Arrays.stream(names)
                .map(name -> new Robot(name, "token", null, null, List.of(), List.of(), false, false)).toList();
    }

    @Test
    void oneSinglePartitionTopicPerRobotKeptAWeekAndTheSeenDeliveriesKeptForTheTtl() {
        ClusterKafka kafka = new ClusterKafka();
        kafka.setTopicPrefix("sd");
        kafka.setSeenDeliveriesTtl("24h");

        List<NewTopic> topics = kafka.topics(robots("ops", "db/team"), 3);

        assertThat(topics).extracting(NewTopic::name).containsExactly("sd.robot.ops", "sd.robot.db_2Fteam", "sd.seen-deliveries",
                "sd.silences", "sd.dead-letters");
        assertThat(topics).allSatisfy(topic -> {
            assertThat(topic.numPartitions()).isEqualTo(1);
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        });
        assertThat(topics.subList(0, 3)).allSatisfy(topic -> assertThat(topic.configs()).containsEntry("cleanup.policy", "delete"));
        // kept until deleted or replayed: compacted, the last record of each key kept, a tombstone forgets it
        assertThat(topics.subList(3, 5)).allSatisfy(topic -> assertThat(topic.configs())
                .containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms"));
        assertThat(topics.get(0).configs()).containsEntry("retention.ms", String.valueOf(7L * 24 * 3600 * 1000));
        assertThat(topics.get(2).configs()).containsEntry("retention.ms", String.valueOf(24L * 3600 * 1000));
        assertThat(kafka.topics(robots("ops"), 1).get(0).configs()).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void onDiskWithoutBootstrapServers() {
        ClusterKafka kafka = new ClusterKafka();
        kafka.setBootstrapServers(" ");
        assertThat(kafka.isClustered()).isFalse();
        assertThat(ClusterKafka.seenDeliveries("", "sd", "/tmp/seen.log", "24h", 10))
                .isInstanceOf(ExpiringFileIdempotentRepository.class);
        assertThat(ClusterKafka.seenDeliveries("localhost:9092", "sd", "/tmp/seen.log", "24h", 10))
                .isInstanceOf(KafkaSeenDeliveries.class);
    }

    @Test
    void theProducerWaitsForEveryReplicaAndAtMostASecond() {
        Map<String, Object> config = ClusterKafka.producerConfig("k:9092");
        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all").containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int delivery = (int) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        assertThat(delivery).isLessThan(1000)
                .isGreaterThanOrEqualTo((int) config.get(ProducerConfig.LINGER_MS_CONFIG) + (int) config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertThat((int) config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isLessThan(1000);
    }

    @Test
    void theRecordTimestampIsWhenTheAlertWasAccepted() {
        assertThat(ClusterKafka.acceptedMillis("2023-11-14T22:13:20Z")).isEqualTo(1700000000000L);
        assertThat(ClusterKafka.acceptedMillis(null)).isPositive();
    }

    @Test
    void kafkasOwnWordsWithoutQuotes() {
        assertThat(ClusterKafka.unavailableReason(new RuntimeException(new TimeoutException("Expiring 1 record(s) for \"t-0\""))))
                .isEqualTo("Expiring 1 record(s) for  t-0");
        assertThat(ClusterKafka.unavailableReason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
