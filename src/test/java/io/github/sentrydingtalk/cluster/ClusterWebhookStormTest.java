package io.github.sentrydingtalk.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.sentrydingtalk.ServiceTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole way through two replicas, as Sentry reaches them behind a load balancer: webhooks posted
 * alternately to both, accepted into Kafka, delivered by each robot's one owner within DingTalk's limit
 * (the stand-in counts every message of a robot from either replica and answers 130101 beyond it).
 */
class ClusterWebhookStormTest {

    static final int LIMIT = 10;
    static final long WINDOW_MILLIS = 4_000;
    static final LimitedDingTalk LIMITER = new LimitedDingTalk(LIMIT, WINDOW_MILLIS);
    static final ObjectMapper JSON = new ObjectMapper();

    static WireMockServer dingTalk;
    static TestKafka kafka;
    static final List<Replica> REPLICAS = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        dingTalk = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(LIMITER));
        dingTalk.start();
        dingTalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        kafka = TestKafka.start();
        for (String replica : List.of("a", "b")) {
            REPLICAS.add(Replica.start(replica, Map.ofEntries(
                    Map.entry("notify.kafka.bootstrap-servers", kafka.bootstrapServers()),
                    Map.entry("notify.kafka.replica-name", replica),
                    Map.entry("dingtalk.base-url", dingTalk.baseUrl()),
                    Map.entry("dingtalk.robots[0].name", "delta"),
                    Map.entry("dingtalk.robots[0].access-token", "delta-token"),
                    Map.entry("dingtalk.robots[0].projects", "delta"),
                    Map.entry("dingtalk.robots[1].name", "epsilon"),
                    Map.entry("dingtalk.robots[1].access-token", "epsilon-token"),
                    Map.entry("dingtalk.robots[1].projects", "epsilon"),
                    // its own robot for the duplicate test, so the storm's robots get storm alerts only
                    Map.entry("dingtalk.robots[2].name", "zeta"),
                    Map.entry("dingtalk.robots[2].access-token", "zeta-token"),
                    Map.entry("dingtalk.robots[2].projects", "zeta"),
                    Map.entry("dingtalk.rate-limit.max-messages", String.valueOf(LIMIT)),
                    Map.entry("dingtalk.rate-limit.window", WINDOW_MILLIS + "ms"))));
        }
    }

    @AfterAll
    static void stopCluster() {
        REPLICAS.forEach(Replica::close);
        if (kafka != null) {
            kafka.close();
        }
        if (dingTalk != null) {
            dingTalk.stop();
        }
    }

    /** The legacy plugin's sample for PROJECT, titled TITLE: a Sentry event of its own. */
    static byte[] legacyAlert(String project, String title) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("legacy-plugin.python-exception.json"));
        root.put("project_slug", project);
        root.put("id", String.valueOf(Math.abs(title.hashCode())));
        ((ObjectNode) root.path("event")).put("title", title);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void aStormPostedAlternatelyToBothReplicasIsDeliveredOnceInOrderWithinEachRobotsBudget() throws Exception {
        int n = 50;
        for (int i = 0; i < n; i++) {
            for (String robot : List.of("delta", "epsilon")) {
                Replica to = REPLICAS.get((i + robot.length()) % 2);
                HttpResponse<String> answer = to.postWebhook(legacyAlert(robot, "Storm " + robot + " n" + i + "x"), null, null);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            }
            Thread.sleep(40); // over a few windows, not one burst
        }
        for (String robot : List.of("delta", "epsilon")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ClusterDeliveryTest.deliveredTo(dingTalk, robot).stream().mapToInt(List::size).sum() >= n);
        }
        assertThat(LIMITER.refused.get()).as("messages DingTalk refused as too fast (130101)").isZero();
        for (String robot : List.of("delta", "epsilon")) {
            List<List<Integer>> messages = ClusterDeliveryTest.deliveredTo(dingTalk, robot);
            assertThat(messages.stream().flatMap(List::stream).sorted().toList())
                    .as("every alert of %s delivered exactly once", robot).isEqualTo(ClusterDeliveryTest.range(n));
            ClusterDeliveryTest.assertInOrder(robot, messages);
        }
    }

    @Test
    void theSameSentryDeliveryPostedToEachReplicaIsOneMessage() throws Exception {
        byte[] body = legacyAlert("zeta", "Once only, twice posted");
        assertThat(REPLICAS.get(0).postWebhook(body, null, null).statusCode()).isEqualTo(202);
        assertThat(REPLICAS.get(1).postWebhook(body, null, null).statusCode()).isEqualTo(202);
        byte[] marker = legacyAlert("zeta", "Marker after the duplicate");
        assertThat(REPLICAS.get(1).postWebhook(marker, null, null).statusCode()).isEqualTo(202);

        // one robot, in order: once the marker is there, a second copy never will be
        await().atMost(Duration.ofSeconds(60)).until(() -> bodies().stream().anyMatch(b -> b.contains("Marker after the duplicate")));
        assertThat(bodies().stream().filter(b -> b.contains("Once only, twice posted")).count()).isEqualTo(1);
    }

    static List<String> bodies() {
        return dingTalk.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString()).toList();
    }
}
