package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The data disk fills up (a real, full tmpfs where the machine allows mounting one): webhooks get 503
 * with Retry-After, which Sentry retries, and health is DOWN. When there is room again, Sentry's
 * re-sends (same body, new Request-ID) are accepted and every alert is delivered exactly once to every
 * robot; none is stuck.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + DiskFullTest.OPS_TOKEN,
        "dingtalk.robots[1].name=team",
        "dingtalk.robots[1].access-token=" + DiskFullTest.TEAM_TOKEN,
})
class DiskFullTest extends ServiceTestSupport {

    static final String OPS_TOKEN = "ops-disk-full";
    static final String TEAM_TOKEN = "team-disk-full";
    static final WireMockServer DINGTALK = startStandIn();
    static final DataDirFault DISK = DataDirFault.create("4m");
    static final int ALERTS = 5;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        useStandIn(registry, DINGTALK, DISK.dataDir());
    }

    @AfterAll
    static void unmount() {
        DISK.close();
    }

    private static byte[] eventAlert(String title) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture("event_alert.triggered.json"));
        ObjectNode event = (ObjectNode) root.path("data").path("event");
        event.put("event_id", Integer.toHexString(title.hashCode()) + "0000000000000000000000000");
        event.put("title", title);
        return JSON.writeValueAsBytes(root);
    }

    private HttpResponse<String> health() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String healthStatus() throws Exception {
        return JSON.readTree(health().body()).path("status").asText();
    }

    @Test
    void aFullDiskAnswers503AndEverythingIsDeliveredOnceThereIsRoom() throws Exception {
        postWebhook(eventAlert("Before the disk filled up"), "event_alert");
        awaitMessages(DINGTALK, OPS_TOKEN, 1);
        awaitMessages(DINGTALK, TEAM_TOKEN, 1);
        assertThat(healthStatus()).isEqualTo("UP");

        DISK.fill();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            byte[] body = eventAlert("Disk full alert " + i);
            bodies.add(body);
            HttpResponse<String> answer = postWebhook(body, "event_alert");
            assertThat(answer.statusCode()).as("answer while the disk is full: %s", answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("[0-9]+"));
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode json = JSON.readTree(answer.body());
            assertThat(json.path("status").asText()).isEqualTo("unavailable");
            assertThat(json.path("reason").asText()).startsWith("the data directory cannot take the alert: ");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(healthStatus()));
        assertThat(health().statusCode()).isEqualTo(503);
        Path outbox = DISK.dataDir().resolve("outbox");
        if (DISK.isTmpfs()) {
            // a failed write leaves no temp file behind
            assertThat(files(outbox.resolve("ops"))).isEmpty();
            assertThat(files(outbox.resolve("team"))).isEmpty();
        }

        DISK.free();
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(healthStatus()));
        for (byte[] body : bodies) {
            // Sentry's retry: the same body, a new Request-ID and timestamp
            HttpResponse<String> answer = postWebhook(body, "event_alert");
            assertThat(answer.statusCode()).as("answer once there is room: %s", answer.body()).isEqualTo(202);
            assertThat(JSON.readTree(answer.body()).path("status").asText()).isEqualTo("accepted");
        }

        for (String token : List.of(OPS_TOKEN, TEAM_TOKEN)) {
            List<LoggedRequest> messages = awaitMessages(DINGTALK, token, 1 + ALERTS);
            for (int i = 0; i < ALERTS; i++) {
                String title = "Disk full alert " + i;
                assertThat(messages.stream().filter(m -> m.getBodyAsString().contains(title))).as(title).hasSize(1);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> files(outbox.resolve("ops")).isEmpty()
                && files(outbox.resolve("team")).isEmpty());
        assertThat(messagesFor(DINGTALK, OPS_TOKEN)).hasSize(1 + ALERTS);
        assertThat(messagesFor(DINGTALK, TEAM_TOKEN)).hasSize(1 + ALERTS);

        // no robot is stuck: the next alert goes out at once
        postWebhook(eventAlert("After the disk was freed"), "event_alert");
        awaitMessages(DINGTALK, OPS_TOKEN, 2 + ALERTS);
        awaitMessages(DINGTALK, TEAM_TOKEN, 2 + ALERTS);
    }
}
