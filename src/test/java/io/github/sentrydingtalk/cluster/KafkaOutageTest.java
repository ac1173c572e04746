package io.github.sentrydingtalk.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clustered mode with Kafka gone: nothing is accepted that is not stored. The webhook answers 503 with
 * a JSON reason within Sentry's 1 second (Sentry retries), health says DOWN; with a broker back on the
 * same address (a fresh, empty one: the embedded broker cannot restart with its data) alerts are
 * accepted again.
 */
class KafkaOutageTest extends ClusterTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kafkaAwayIs503WithinASecondAndDownInHealthThenAcceptedAgain() throws Exception {
        Replica a = startReplica("a");
        assertThat(a.postWebhook(ClusteredAcceptTest.issue("8001"), "issue", CLIENT_SECRET).statusCode()).isEqualTo(202);
        JsonNode up = JSON.readTree(a.get("/actuator/health").body());
        assertThat(up.path("status").asText()).as(up.toString()).isEqualTo("UP");
        assertThat(kafkaCheckOf(a)).isEqualTo("UP");

        kafka.stop();

        long start = System.nanoTime();
        HttpResponse<String> refused = a.postWebhook(ClusteredAcceptTest.issue("8002"), "issue", CLIENT_SECRET);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        JsonNode reason = JSON.readTree(refused.body());
        assertThat(reason.path("status").asText()).isEqualTo("unavailable");
        assertThat(reason.path("reason").asText()).startsWith("Kafka cannot take the alert: ");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(millis).as("answered within Sentry's 1 second").isLessThan(1000);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode down = JSON.readTree(a.get("/actuator/health").body());
            assertThat(kafkaCheck(down)).as(down.toString()).isEqualTo("DOWN");
            assertThat(down.path("status").asText()).isEqualTo("DOWN");
        });

        kafka.startFresh();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> accepted = a.postWebhook(ClusteredAcceptTest.issue("8002"), "issue", CLIENT_SECRET);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(JSON.readTree(accepted.body()).path("status").asText()).isEqualTo("accepted");
        });
        assertThat(kafka.records(robotTopic("ops"))).as("the alert accepted after the outage, in the new broker").hasSize(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(JSON.readTree(a.get("/actuator/health").body()).path("status").asText()).isEqualTo("UP"));
        assertThat(kafkaCheckOf(a)).isEqualTo("UP");
    }

    /** The kafka check's status as Camel's health registry has it (/actuator/health lists only failing checks). */
    static String kafkaCheckOf(Replica replica) {
        return org.apache.camel.health.HealthCheckHelper.invoke(replica.camel(), "kafka", java.util.Map.of())
                .map(r -> r.getState().name()).orElse("absent");
    }

    /** The kafka check's status in /actuator/health (Camel's checks, under camelHealth), when it fails. */
    static String kafkaCheck(JsonNode health) {
        return health.path("components").path("camelHealth").path("details").path("kafka").asText("absent");
    }
}
