package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Idempotent intake, the 20,000-byte limit, and replaying dead letters. */
@TestPropertySource(properties = {
        "admin.token=" + NeverLoseTest.ADMIN_TOKEN,
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + NeverLoseTest.OPS_TOKEN,
        "dingtalk.robots[0].keyword=告警",
        "dingtalk.robots[0].at-mobiles=13800000001",
        "dingtalk.robots[1].name=team",
        "dingtalk.robots[1].access-token=" + NeverLoseTest.TEAM_TOKEN,
        "dingtalk.retry.max-redeliveries=0",
})
class NeverLoseTest extends ServiceTestSupport {

    static final String ADMIN_TOKEN = "admin-never-lose";
    static final String OPS_TOKEN = "ops-never-lose";
    static final String TEAM_TOKEN = "team-never-lose";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final String OK = "{\"errcode\":0,\"errmsg\":\"ok\"}";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @BeforeEach
    void ok() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson(OK)));
    }

    private HttpResponse<String> call(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] legacyWith(String field, String value) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture("legacy-plugin.python-exception.json"));
        root.put(field, value);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void theSameDeliveryTwiceGivesOneMessagePerRobot() throws Exception {
        byte[] issue = fixture("issue.resolved.json");
        String[] headers = {"Content-Type", "application/json", "Sentry-Hook-Resource", "issue", "Request-ID", "req-twice-1"};
        HttpResponse<String> first = call("/webhooks/sentry", issue, headers);
        HttpResponse<String> again = call("/webhooks/sentry", issue, headers);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("duplicate");

        // Legacy plugin: no Request-ID, so the same body is the same delivery.
        byte[] legacy = legacyWith("message", "twice " + System.nanoTime());
        assertThat(call("/webhooks/sentry", legacy, "Content-Type", "application/json").statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(call("/webhooks/sentry", legacy, "Content-Type", "application/json").body())
                .path("status").asText()).isEqualTo("duplicate");

        // Only these two deliveries' messages count: one of an earlier test method can still arrive late.
        String legacyMessage = JSON.readTree(legacy).path("message").asText();
        java.util.function.Function<String, List<LoggedRequest>> these = token -> messagesFor(DINGTALK, token).stream()
                .filter(r -> r.getBodyAsString().contains("blooopy") || r.getBodyAsString().contains(legacyMessage)).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> these.apply(OPS_TOKEN).size() >= 2 && these.apply(TEAM_TOKEN).size() >= 2);
        Thread.sleep(500);
        assertThat(these.apply(OPS_TOKEN)).hasSize(2);
        assertThat(these.apply(TEAM_TOKEN)).hasSize(2);
        // The key comes from the content (issue id, action, state), never from the Request-ID header.
        assertThat(Files.readString(DATA_DIR.resolve("seen-deliveries.log"))).contains(" issue:").doesNotContain("req-twice-1");
    }

    @Test
    void everyBodyFitsDingTalksLimitKeepingTitleLinkAndMentions() throws Exception {
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            message.append("失败 [详情](https://example.com/").append(i).append(") ");
        }
        ObjectNode root = (ObjectNode) JSON.readTree(legacyWith("message", message.toString()));
        ((ObjectNode) root.path("event")).put("title", "超长标题".repeat(100));
        call("/webhooks/sentry", JSON.writeValueAsBytes(root), "Content-Type", "application/json");

        LoggedRequest ops = awaitMessages(DINGTALK, OPS_TOKEN, 1).get(0);
        assertThat(ops.getBody().length).isLessThanOrEqualTo(20_000);
        JsonNode body = body(ops);
        String title = body.path("markdown").path("title").asText();
        assertThat(title).startsWith("【告警】【foo-live】 超长标题").endsWith("…");
        String text = body.path("markdown").path("text").asText();
        assertThat(text).startsWith("### " + title)
                .contains("\n\n[👉 View Issue on Sentry](https://sentry.io/organizations/bar-foundation/issues/1972208801/)")
                .endsWith("@13800000001");
        String quote = text.lines().filter(l -> l.startsWith("> ")).findFirst().orElseThrow();
        assertThat(quote).endsWith("…");
        assertThat(text.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)).as("no lone surrogate").isTrue();
        assertThat(ops.getBodyAsString()).doesNotContain("\uFFFD");
    }

    @Test
    void deadLettersOfARobotCanBeReplayedAfterTheFix() throws Exception {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(TEAM_TOKEN))
                .willReturn(okJson("{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}")));
        call("/webhooks/sentry", legacyWith("message", "replay me " + System.nanoTime()), "Content-Type", "application/json");
        Path deadLetters = DATA_DIR.resolve("dead-letter");
        await().atMost(Duration.ofSeconds(20)).until(() -> writtenFiles(deadLetters).size() == 1);

        String[] admin = {"Authorization", "Bearer " + ADMIN_TOKEN};
        assertThat(call("/admin/dead-letters/replay?robot=team", new byte[0]).statusCode()).isEqualTo(401);

        // Still broken: the replayed letter fails again and comes back with the new answer.
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(TEAM_TOKEN))
                .willReturn(okJson("{\"errcode\":300001,\"errmsg\":\"token is not exist\"}")));
        HttpResponse<String> replay = call("/admin/dead-letters/replay?robot=team", new byte[0], admin);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("replayed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> writtenFiles(deadLetters).size() == 1
                && Files.readString(writtenFiles(deadLetters).get(0)).contains("300001"));

        // Fixed: replay delivers it and the folder empties.
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(TEAM_TOKEN))
                .willReturn(okJson(OK)));
        int before = messagesFor(DINGTALK, TEAM_TOKEN).size();
        HttpResponse<String> fixed = call("/admin/dead-letters/replay?robot=team", new byte[0], admin);
        assertThat(JSON.readTree(fixed.body()).path("replayed").asInt()).isEqualTo(1);
        List<LoggedRequest> team = awaitMessages(DINGTALK, TEAM_TOKEN, before + 1);
        assertThat(text(team.get(team.size() - 1))).contains("replay me");
        await().atMost(Duration.ofSeconds(5)).until(() -> files(deadLetters).isEmpty());
        assertThat(JSON.readTree(call("/admin/dead-letters/replay?robot=nobody", new byte[0], admin).body())
                .path("status").asText()).isEqualTo("not found");
    }
}
