package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each robot has its own delivery route; POST /admin/robots/{name}/suspend and /resume switch it. */
@TestPropertySource(properties = {
        "admin.token=admin-suspend",
        "dingtalk.robots[0].name=night-shift",
        "dingtalk.robots[0].access-token=night-token",
        "dingtalk.robots[1].name=day-shift",
        "dingtalk.robots[1].access-token=day-token",
        "dingtalk.robots[2].name=ops/eu",
        "dingtalk.robots[2].access-token=eu-token",
})
class AdminSuspendResumeTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Autowired
    CamelContext camelContext;

    private HttpResponse<String> admin(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachConfiguredRobotHasADeliveryRouteOfItsOwn() {
        await().atMost(Duration.ofSeconds(10)).until(() -> camelContext.getRoute("deliver-ops_2Feu") != null);
        assertThat(camelContext.getRoutes().stream().map(Route::getRouteId).filter(id -> id.startsWith("deliver-")))
                .containsExactlyInAnyOrder("deliver-night-shift", "deliver-day-shift", "deliver-ops_2Feu");
    }

    @Test
    void aSuspendedRobotKeepsItsAlertsWhileOthersSendAndSendsThemOnResume() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> camelContext.getRoute("deliver-night-shift") != null);
        assertThat(admin("/admin/robots/night-shift/suspend", null).statusCode()).isEqualTo(401);
        assertThat(admin("/admin/robots/night-shift/suspend", "wrong").statusCode()).isEqualTo(401);
        assertThat(messagesFor(DINGTALK, "night-token")).isEmpty();

        HttpResponse<String> suspended = admin("/admin/robots/night-shift/suspend", "admin-suspend");
        assertThat(suspended.statusCode()).isEqualTo(200);
        assertThat(suspended.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode answer = JSON.readTree(suspended.body());
        assertThat(answer.path("robot").asText()).isEqualTo("night-shift");
        assertThat(answer.path("route").asText()).isEqualTo("deliver-night-shift");
        assertThat(answer.path("status").asText()).isEqualTo("Suspended");

        postFixture("legacy-plugin.python-exception.json", null);
        awaitMessages(DINGTALK, "day-token", 1);
        awaitMessages(DINGTALK, "eu-token", 1);
        assertThat(files(DATA_DIR.resolve("outbox/night-shift"))).as("kept on disk").hasSize(1);
        assertThat(messagesFor(DINGTALK, "night-token")).isEmpty();
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as("a suspended robot is not a failure: %s", ready.body()).isEqualTo(200);

        HttpResponse<String> resumed = admin("/admin/robots/night-shift/resume", "admin-suspend");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(resumed.body()).path("status").asText()).isEqualTo("Started");
        assertThat(text(awaitMessages(DINGTALK, "night-token", 1).get(0))).contains("ValueError");
    }

    @Test
    void anUnknownRobotIs404Json() throws Exception {
        HttpResponse<String> unknown = admin("/admin/robots/nobody/suspend", "admin-suspend");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("status").asText()).isEqualTo("not found");
        assertThat(admin("/admin/robots/nobody/resume", "admin-suspend").statusCode()).isEqualTo(404);
        assertThat(admin("/admin/robots/nobody/resume", null).statusCode()).isEqualTo(401);
    }
}
