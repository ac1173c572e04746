package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /admin/robots/{name}/test: a real test message and DingTalk's answer explained; preview and filters. */
@TestPropertySource(properties = {
        "admin.token=admin-test-send",
        "dingtalk.robots[0].name=good",
        "dingtalk.robots[0].access-token=good-token",
        "dingtalk.robots[0].secret=SECgoodsecret",
        "dingtalk.robots[0].keyword=告警",
        "dingtalk.robots[1].name=wrong-secret",
        "dingtalk.robots[1].access-token=wrong-token",
        "dingtalk.robots[2].name=metrics-only",
        "dingtalk.robots[2].access-token=metrics-token",
        "dingtalk.robots[2].events=metric_alert",
})
class AdminTestSendTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo("good-token"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo("wrong-token"))
                .willReturn(okJson("{\"errcode\":310000,\"errmsg\":\"sign not match\"}")));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    private HttpResponse<String> test(String robot, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/robots/" + robot + "/test"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sendsATestMessageAndExplainsTheAnswer() throws Exception {
        assertThat(test("good", null).statusCode()).isEqualTo(401);

        JsonNode good = JSON.readTree(test("good", "admin-test-send").body());
        assertThat(good.path("delivered").asBoolean()).isTrue();
        assertThat(good.path("errcode").asInt()).isZero();
        String text = text(messagesFor(DINGTALK, "good-token").get(0));
        assertThat(text).startsWith("### 【告警】【sentry-dingtalk】 Test message from sentry-dingtalk-camel");
        assertThat(query(messagesFor(DINGTALK, "good-token").get(0))).containsKeys("timestamp", "sign");

        JsonNode wrong = JSON.readTree(test("wrong-secret", "admin-test-send").body());
        assertThat(wrong.path("delivered").asBoolean()).isFalse();
        assertThat(wrong.path("errcode").asInt()).isEqualTo(310000);
        assertThat(wrong.path("errmsg").asText()).isEqualTo("sign not match");
        assertThat(wrong.path("explanation").asText()).contains("check the robot's secret, this server's clock");
        assertThat(messagesFor(DINGTALK, "wrong-token")).as("not retried").hasSize(1);

        assertThat(test("nobody", "admin-test-send").statusCode()).isEqualTo(404);
        assertThat(files(DATA_DIR.resolve("dead-letter"))).as("a test is no alert").isEmpty();
    }

    @Test
    void previewSaysWhenARobotsFiltersKeepTheAlertAway() throws Exception {
        HttpRequest.Builder preview = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/preview?robot=metrics-only"))
                .header("Authorization", "Bearer admin-test-send").header("Content-Type", "application/json")
                .header("Sentry-Hook-Resource", "issue")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fixture("issue.created.json")));
        JsonNode filtered = JSON.readTree(HttpClient.newHttpClient().send(preview.build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(filtered.path("status").asText()).isEqualTo("filtered");

        HttpRequest.Builder metric = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/preview?robot=metrics-only"))
                .header("Authorization", "Bearer admin-test-send").header("Content-Type", "application/json")
                .header("Sentry-Hook-Resource", "metric_alert")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fixture("metric_alert.resolved.json")));
        JsonNode body = JSON.readTree(HttpClient.newHttpClient().send(metric.build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(body.path("markdown").path("title").asText()).isEqualTo("【bar】 Resolved: Too many errors");
        assertThat(messagesFor(DINGTALK, "metrics-token")).as("preview sends nothing").isEmpty();
    }
}
