package io.github.sentrydingtalk.cluster;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sentrydingtalk.ServiceTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clustered mode, accepting: two replicas on one Kafka. An accepted alert is a record in its robot's
 * topic before the 202, and the same Sentry delivery is one record, whichever replicas it reached.
 */
class ClusteredAcceptTest extends TwoReplicasTestSupport {


    /** issue.created.json as Sentry would send it for another issue: a delivery no test has posted. */
    static byte[] issue(String issueId) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("issue.created.json"));
        ((ObjectNode) root.path("data").path("issue")).put("id", issueId);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void theServiceCreatesItsTopicsAtStartup() {
        assertThat(kafka.topics()).contains("sentry-dingtalk.robot.ops", "sentry-dingtalk.seen-deliveries");
        assertThat(kafka.partitions("sentry-dingtalk.robot.ops")).isEqualTo(1);
        assertThat(kafka.partitions("sentry-dingtalk.seen-deliveries")).isEqualTo(1);
        assertThat(kafka.topicConfig("sentry-dingtalk.robot.ops", "retention.ms")).isEqualTo(String.valueOf(7L * 24 * 3600 * 1000));
        assertThat(kafka.topicConfig("sentry-dingtalk.seen-deliveries", "retention.ms")).isEqualTo(String.valueOf(24L * 3600 * 1000));
    }

    @Test
    void anAcceptedAlertIsOneRecordInItsRobotsTopicBeforeThe202() throws Exception {
        HttpResponse<String> answer = a.postWebhook(issue("7001"), "issue", CLIENT_SECRET);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(answer.body());
        assertThat(accepted.path("status").asText()).isEqualTo("accepted");
        String id = accepted.path("id").asText();
        // read right after the 202, without waiting: the record was acknowledged before it
        List<ConsumerRecord<String, String>> records = kafka.records(robotTopic("ops")).stream()
                .filter(r -> id.equals(r.key())).toList();
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        JsonNode alert = JSON.readTree(record.value());
        assertThat(alert.path("id").asText()).isEqualTo(id);
        assertThat(alert.path("kind").asText()).isEqualTo("issue");
        assertThat(alert.path("title").asText()).contains("blooopy is not defined");
        assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(record.timestamp()).isEqualTo(Instant.parse(alert.path("acceptedAt").asText()).toEpochMilli());
        assertThat(kafka.partitions(robotTopic("ops"))).isEqualTo(1);
        assertThat(a.dataDir().resolve("outbox/ops")).as("nothing on local disk").satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
    }

    @Test
    void theSameDeliveryPostedToEachReplicaIsOneRecord() throws Exception {
        byte[] body = issue("7002");
        int before = kafka.records(robotTopic("ops")).size();

        HttpResponse<String> first = a.postWebhook(body, "issue", CLIENT_SECRET);
        HttpResponse<String> second = b.postWebhook(body, "issue", CLIENT_SECRET);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(JSON.readTree(first.body()).path("status").asText()).isEqualTo("accepted");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        assertThat(JSON.readTree(second.body()).path("status").asText()).isEqualTo("duplicate");
        assertThat(kafka.records(robotTopic("ops"))).as("one record for the one delivery").hasSize(before + 1);
    }

    @Test
    void aReplayedDeadLetterGoesToTheRobotsTopicToo() throws Exception {
        HttpResponse<String> answer = a.postWebhook(issue("7003"), "issue", CLIENT_SECRET);
        String acceptedId = JSON.readTree(answer.body()).path("id").asText();
        ObjectNode alert = (ObjectNode) JSON.readTree(kafka.records(robotTopic("ops")).stream()
                .filter(r -> acceptedId.equals(r.key())).findFirst().orElseThrow().value());
        alert.put("id", "1700000000000-0000dead");
        alert.put("acceptedAt", "2023-11-14T22:13:20Z");
        ObjectNode letter = JSON.createObjectNode().put("robot", "ops").put("reason", "bad token");
        letter.set("alert", alert);
        // in clustered mode dead letters live in the shared topic, whichever replica wrote them
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(java.util.Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(KafkaTopics.deadLettersTopic(PREFIX),
                    "1700000000000-0000dead-ops.json", letter.toString())).get();
        }

        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> replayed = b.postAdmin("/admin/dead-letters/replay?robot=ops", ADMIN_TOKEN);
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
            return JSON.readTree(replayed.body()).path("replayed").asInt() == 1;
        });
        List<ConsumerRecord<String, String>> records = kafka.records(robotTopic("ops")).stream()
                .filter(r -> "1700000000000-0000dead".equals(r.key())).toList();
        assertThat(records).hasSize(1);
        assertThat(JSON.readTree(records.get(0).value())).isEqualTo(alert);
        assertThat(records.get(0).timestamp()).isEqualTo(1700000000000L);
        List<ConsumerRecord<String, String>> letters = kafka.records(KafkaTopics.deadLettersTopic(PREFIX)).stream()
                .filter(r -> "1700000000000-0000dead-ops.json".equals(r.key())).toList();
        assertThat(letters.get(letters.size() - 1).value()).as("replayed: a tombstone").isNull();
    }
}
