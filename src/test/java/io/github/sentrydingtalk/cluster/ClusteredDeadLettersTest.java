package io.github.sentrydingtalk.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.sentrydingtalk.ServiceTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clustered mode: a dead letter written by the robot's owner is replayed from the other replica. */
class ClusteredDeadLettersTest extends TwoReplicasTestSupport {


    @Test
    void aDeadLetterWrittenByTheOwnerIsReplayedFromTheOtherReplica() throws Exception {
        // DingTalk refuses this one message for good (a token it does not know)
        StubMapping refused = dingTalk.stubFor(post(urlPathEqualTo("/robot/send")).atPriority(1)
                .withRequestBody(containing("Poison pill")).willReturn(okJson("{\"errcode\":300001,\"errmsg\":\"token is not exist\"}")));
        ObjectNode root = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("issue.created.json"));
        ((ObjectNode) root.path("data").path("issue")).put("id", "9001").put("title", "Poison pill");
        assertThat(a.postWebhook(JSON.writeValueAsBytes(root), "issue", CLIENT_SECRET).statusCode()).isEqualTo(202);

        String topic = io.github.sentrydingtalk.cluster.KafkaTopics.deadLettersTopic(PREFIX);
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.records(topic).stream()
                .anyMatch(r -> r.value() != null && r.value().contains("Poison pill")));
        String key = kafka.records(topic).stream().filter(r -> r.value() != null && r.value().contains("Poison pill"))
                .findFirst().orElseThrow().key();

        // dead-lettered once: its offset was committed, it is not taken (and dead-lettered) again
        Thread.sleep(1000);
        assertThat(kafka.records(topic).stream().filter(r -> r.value() != null && r.value().contains("Poison pill")).count())
                .isEqualTo(1);

        // fixed (DingTalk takes it now); replayed on the replica that does not own the robot
        dingTalk.removeStub(refused);
        Replica other = RobotTopicFixtures.owned(a, "ops") == 1 ? b : a;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> replayed = other.postAdmin("/admin/dead-letters/replay?robot=ops", ADMIN_TOKEN);
            return replayed.statusCode() == 200 && JSON.readTree(replayed.body()).path("replayed").asInt() == 1;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> dingTalk.getAllServeEvents().stream().anyMatch(e ->
                e.getRequest().getBodyAsString().contains("Poison pill") && e.getResponse().getBodyAsString().contains("\"errcode\":0")));
        List<ConsumerRecord<String, String>> letter = kafka.records(topic).stream().filter(r -> key.equals(r.key())).toList();
        assertThat(letter.get(letter.size() - 1).value()).as("replayed: a tombstone").isNull();
    }
}
