package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Files nobody should have to look at never stop a robot: a {@code null}, garbage or empty file in an
 * outbox is moved to {@code .corrupt/} with one WARN and every other alert, of that robot and the
 * others, is delivered; an old temp file of a failed write is removed at startup; an unreadable dead
 * letter is moved aside and the good ones are replayed.
 */
@TestPropertySource(properties = {
        "admin.token=" + CorruptFilesTest.ADMIN_TOKEN,
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + CorruptFilesTest.OPS_TOKEN,
        "dingtalk.robots[1].name=team",
        "dingtalk.robots[1].access-token=" + CorruptFilesTest.TEAM_TOKEN,
})
@ExtendWith(OutputCaptureExtension.class)
class CorruptFilesTest extends ServiceTestSupport {

    static final String ADMIN_TOKEN = "admin-corrupt-files";
    static final String OPS_TOKEN = "ops-corrupt-files";
    static final String TEAM_TOKEN = "team-corrupt-files";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final Path OPS = DATA_DIR.resolve("outbox").resolve("ops");
    static final Path TEAM = DATA_DIR.resolve("outbox").resolve("team");
    static final Path DEAD_LETTERS = DATA_DIR.resolve("dead-letter");

    /** What a previous run left behind, before the service starts (bad outbox files come during the test). */
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        Files.createDirectories(OPS);
        Files.createDirectories(TEAM);
        Path staleTemp = Files.writeString(OPS.resolve(".0000000000004-00000005.json"), "");
        Files.setLastModifiedTime(staleTemp, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.createDirectories(DEAD_LETTERS);
        Files.writeString(DEAD_LETTERS.resolve("1000-ops-a.json"), "{\"robot\": \"ops\", \"alert\": {");
        Files.writeString(DEAD_LETTERS.resolve("1001-ops-b.json"), """
                {"robot": "ops", "reason": "errcode 310000", "alert": {"id": "0000000000005-00000006", "kind": "legacy",
                 "title": "Replayed past a corrupt letter", "projectSlug": "foo-live", "level": "error",
                 "acceptedAt": "2024-01-01T00:00:00Z"}}
                """);
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    private static int count(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Messages for the two webhooks of this test, not the replayed dead letter of the other. */
    private static long webhookMessages(String token) {
        return messagesFor(DINGTALK, token).stream().filter(m -> !m.getBodyAsString().contains("Replayed past")).count();
    }

    @Test
    void badOutboxFilesAreMovedAsideAndEveryOtherAlertIsDelivered(CapturedOutput output) throws Exception {
        Files.writeString(OPS.resolve("0000000000001-00000001.json"), "null");
        Files.writeString(OPS.resolve("0000000000002-00000002.json"), "{\"kind\": \"legacy\", \"tit");
        Files.writeString(OPS.resolve("0000000000003-00000003.json"), "");
        Files.writeString(TEAM.resolve("0000000000001-00000004.json"), "null");
        postFixture("issue.created.json", "issue");
        postFixture("metric_alert.critical.json", "metric_alert");

        await().atMost(Duration.ofSeconds(20)).until(() -> webhookMessages(OPS_TOKEN) >= 2 && webhookMessages(TEAM_TOKEN) >= 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> files(OPS).stream().noneMatch(Files::isRegularFile)
                && files(TEAM).stream().noneMatch(Files::isRegularFile));
        assertThat(files(OPS.resolve(".corrupt"))).extracting(p -> p.getFileName().toString())
                .containsExactly("0000000000001-00000001.json", "0000000000002-00000002.json", "0000000000003-00000003.json");
        assertThat(files(TEAM.resolve(".corrupt"))).hasSize(1);
        assertThat(Files.exists(OPS.resolve(".0000000000004-00000005.json"))).as("stale temp file removed").isFalse();
        assertThat(webhookMessages(OPS_TOKEN)).isEqualTo(2);
        assertThat(webhookMessages(TEAM_TOKEN)).isEqualTo(2);
        // one WARN per file, not one per plan
        assertThat(count(output.getAll(), "Moved unreadable outbox file")).isEqualTo(4);
    }

    @Test
    void anUnreadableDeadLetterIsMovedAsideAndTheOthersAreReplayed(CapturedOutput output) throws Exception {
        HttpResponse<String> replay = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/admin/dead-letters/replay?robot=ops"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("replayed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(DINGTALK, OPS_TOKEN).stream()
                .anyMatch(m -> m.getBodyAsString().contains("Replayed past a corrupt letter")));
        assertThat(files(DEAD_LETTERS.resolve(".corrupt"))).extracting(p -> p.getFileName().toString())
                .containsExactly("1000-ops-a.json");
        assertThat(files(DEAD_LETTERS).stream().filter(Files::isRegularFile)).isEmpty();
        assertThat(count(output.getAll(), "Moved unreadable dead letter")).isEqualTo(1);
    }
}
