package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same routes/ and templates/ under plain camel-main, no Spring: a payload in, a signed message out.
 * (What `camel run routes/*.camel.yaml` does with the Camel CLI.)
 */
class CamelMainRuntimeTest {

    private final WireMockServer dingtalk = ServiceTestSupport.startStandIn();
    private final Main main = new Main();

    @AfterEach
    void stop() {
        main.stop();
        dingtalk.stop();
    }

    @Test
    void routesRunWithoutSpring() throws Exception {
        dingtalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("camel-main");
        Map.of("camel.server.enabled", "true",
                "camel.server.port", String.valueOf(port),
                "notify.data-dir", dataDir.toString(),
                "dingtalk.base-url", dingtalk.baseUrl(),
                "dingtalk.robots[0].name", "ops",
                "dingtalk.robots[0].access-token", "main-token",
                "dingtalk.robots[0].secret", "SECmainsecret").forEach(main::addOverrideProperty);
        main.start();

        byte[] body = ServiceTestSupport.fixture("issue.created.json");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry"))
                        .header("Content-Type", "application/json").header("Sentry-Hook-Resource", "issue")
                        .header("Request-ID", "camel-main-1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> ServiceTestSupport.messagesFor(dingtalk, "main-token").size() == 1);
        LoggedRequest request = ServiceTestSupport.messagesFor(dingtalk, "main-token").get(0);
        Map<String, String> q = ServiceTestSupport.query(request);
        assertThat(q.get("sign")).isEqualTo(ServiceTestSupport.expectedSign(q.get("timestamp"), "SECmainsecret"));
        assertThat(ServiceTestSupport.text(request)).startsWith("### 【front-end】 ReferenceError: blooopy is not defined\n\n**🆕 New issue**");

        HttpResponse<String> tooBig = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("\"status\":\"rejected\"", "sentry.max-body-size");
    }
}
