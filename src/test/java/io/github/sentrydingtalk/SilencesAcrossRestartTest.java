package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.sentrydingtalk.ServiceTestSupport.fixture;
import static io.github.sentrydingtalk.ServiceTestSupport.messagesFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An ad-hoc silence outlives the process: a new service on the same data directory still keeps the alert back. */
class SilencesAcrossRestartTest {

    static final WireMockServer DINGTALK = ServiceTestSupport.startStandIn();
    static final Path DATA_DIR = ServiceTestSupport.tempDataDir();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @AfterAll
    static void stopStandIn() {
        ServiceTestSupport.stopStandIns();
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(Application.class).run("--server.port=0", "--notify.data-dir=" + DATA_DIR,
                "--dingtalk.base-url=" + DINGTALK.baseUrl(), "--admin.token=restart-token", "--notify.drain-period=50",
                "--dingtalk.robots[0].name=ops", "--dingtalk.robots[0].access-token=ops-token",
                "--spring.artemis.embedded.enabled=false", "--management.health.jms.enabled=false");
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext service, String method, String path,
                                             byte[] body, String... headers) throws Exception {
        String port = service.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String text(int i) throws Exception {
        return ServiceTestSupport.text(messagesFor(DINGTALK, "ops-token").get(i));
    }

    @Test
    void anAdHocSilenceSurvivesARestartUntilDeleted() throws Exception {
        String id;
        try (ConfigurableApplicationContext first = start()) {
            HttpResponse<String> added = send(first, "POST", "/admin/silences",
                    "{\"project\":\"foo-live\",\"duration\":\"1h\",\"comment\":\"across restarts\"}".getBytes(),
                    "Authorization", "Bearer restart-token");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            id = ServiceTestSupport.JSON.readTree(added.body()).path("id").asText();
        }
        try (ConfigurableApplicationContext second = start()) {
            assertThat(send(second, "POST", "/webhooks/sentry", fixture("legacy-plugin.python-exception.json")).statusCode()).isEqualTo(202);
            assertThat(send(second, "POST", "/webhooks/sentry", fixture("issue.created.json"),
                    "Sentry-Hook-Resource", "issue").statusCode()).isEqualTo(202);
            // sent in order of arrival: the issue first means the silenced alert was kept back
            await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(DINGTALK, "ops-token").size() >= 1);
            assertThat(text(0)).contains("blooopy");

            HttpResponse<String> deleted = send(second, "DELETE", "/admin/silences/" + id, null, "Authorization", "Bearer restart-token");
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext third = start()) {
            // the same event again (changed by a space: the seen-deliveries file remembers the first one)
            byte[] again = (new String(fixture("legacy-plugin.python-exception.json")) + " ").getBytes();
            assertThat(send(third, "POST", "/webhooks/sentry", again).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(DINGTALK, "ops-token").size() >= 2);
            assertThat(text(1)).contains("ValueError: new sentry error.");
            assertThat(messagesFor(DINGTALK, "ops-token")).hasSize(2);
        }
    }
}
