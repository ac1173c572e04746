package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /actuator/health and /actuator/prometheus, with the robot's name as a label. */
@AutoConfigureObservability // Spring Boot tests turn metrics export off unless asked
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ok",
        "dingtalk.robots[0].access-token=ok-token",
        "dingtalk.robots[1].name=broken",
        "dingtalk.robots[1].access-token=broken-token",
})
class ObservabilityTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo("ok-token"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo("broken-token"))
                .willReturn(okJson("{\"errcode\":310000,\"errmsg\":\"sign not match\"}")));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String prometheus, String name, String labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        var m = line.matcher(prometheus);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }

    @Test
    void healthIsUpAndDeliveriesAreCountedPerRobot() throws Exception {
        JsonNode health = JSON.readTree(get("/actuator/health"));
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").has("camelHealth")).as(health.toString()).isTrue();

        postFixture("issue.created.json", "issue");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                metric(get("/actuator/prometheus"), "sentry_dingtalk_dead_lettered_total", "robot=\"broken\"") == 1.0
                        && metric(get("/actuator/prometheus"), "sentry_dingtalk_delivered_total", "robot=\"ok\"") == 1.0);

        String prometheus = get("/actuator/prometheus");
        assertThat(metric(prometheus, "sentry_dingtalk_answers_total", "errcode=\"310000\",robot=\"broken\"")).isEqualTo(1.0);
        assertThat(metric(prometheus, "sentry_dingtalk_answers_total", "errcode=\"0\",robot=\"ok\"")).isEqualTo(1.0);
        assertThat(metric(prometheus, "sentry_dingtalk_accept_to_delivered_seconds_count", "robot=\"ok\"")).isEqualTo(1.0);
        assertThat(metric(prometheus, "sentry_dingtalk_outbox_depth", "robot=\"ok\"")).isEqualTo(0.0);
        assertThat(prometheus).contains("sentry_dingtalk_queue_depth ").doesNotContain("ok-token").doesNotContain("broken-token");
    }
}
