package io.github.sentrydingtalk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transient failures are retried (and re-signed) with backoff; permanent ones and exhausted retries
 * end as one dead-letter file per (alert, robot) that names the robot but holds no secret. Retries
 * are fast here so the test takes seconds.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=flaky",
        "dingtalk.robots[0].access-token=" + RetryAndDeadLetterTest.FLAKY_TOKEN,
        "dingtalk.robots[0].secret=" + RetryAndDeadLetterTest.FLAKY_SECRET,
        "dingtalk.robots[1].name=steady",
        "dingtalk.robots[1].access-token=" + RetryAndDeadLetterTest.STEADY_TOKEN,
        "dingtalk.retry.max-redeliveries=3",
        "dingtalk.retry.initial-delay=100",
        "dingtalk.retry.backoff-multiplier=2",
        "dingtalk.retry.max-delay=400",
        "dingtalk.http.response-timeout=1000",
        "dingtalk.rate-limit.pause=2s",
        // Dead-letter as soon as retries run out; keeping alerts through an outage is DingTalkOutageTest.
        "dingtalk.retry.give-up-after=0s",
})
@ExtendWith(OutputCaptureExtension.class)
class RetryAndDeadLetterTest extends ServiceTestSupport {

    static final String FLAKY_TOKEN = "flaky-token-7f3a9c";
    static final String FLAKY_SECRET = "SECflaky0000secret1111value2222abcd";
    static final String STEADY_TOKEN = "steady-token-55e1";

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final Path DEAD_LETTERS = DATA_DIR.resolve("dead-letter");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @BeforeEach
    void reset() throws Exception {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(STEADY_TOKEN))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        for (Path file : files(DEAD_LETTERS)) {
            Files.delete(file);
        }
    }

    private void flakyAnswers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... answers) {
        String state = STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = i == answers.length - 1 ? state : "attempt-" + (i + 2);
            DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(FLAKY_TOKEN))
                    .inScenario("flaky").whenScenarioStateIs(state).willSetStateTo(next).willReturn(answers[i]));
            state = next;
        }
    }

    @Test
    void transientFailuresAreRetriedAndEachAttemptIsSignedAfresh() throws Exception {
        flakyAnswers(aResponse().withStatus(500), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                okJson("{\"errcode\":-1,\"errmsg\":\"system busy\"}"), okJson("{\"errcode\":0,\"errmsg\":\"ok\"}"));

        postFixture("legacy-plugin.chinese-markdown.json", null);

        List<LoggedRequest> attempts = awaitMessages(DINGTALK, FLAKY_TOKEN, 4);
        long previous = 0;
        for (LoggedRequest attempt : attempts) {
            Map<String, String> q = query(attempt);
            long timestamp = Long.parseLong(q.get("timestamp"));
            assertThat(timestamp).as("a new timestamp on every attempt").isGreaterThan(previous);
            assertThat(q.get("sign")).isEqualTo(expectedSign(q.get("timestamp"), FLAKY_SECRET));
            assertThat(attempt.getBodyAsString()).isEqualTo(attempts.get(0).getBodyAsString());
            previous = timestamp;
        }
        assertThat(awaitMessages(DINGTALK, STEADY_TOKEN, 1)).hasSize(1);
        // Exactly one delivery: after the success nothing more is sent, and nothing is dead-lettered.
        Thread.sleep(1000);
        assertThat(messagesFor(DINGTALK, FLAKY_TOKEN)).hasSize(4);
        assertThat(files(DEAD_LETTERS)).isEmpty();
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        flakyAnswers(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}").withFixedDelay(2500), okJson("{\"errcode\":0,\"errmsg\":\"ok\"}"));
        postFixture("metric_alert.resolved.json", "metric_alert");
        List<LoggedRequest> attempts = awaitMessages(DINGTALK, FLAKY_TOKEN, 2);
        assertThat(attempts.get(1).getBodyAsString()).isEqualTo(attempts.get(0).getBodyAsString());
        Thread.sleep(3000); // past the slow answer: still exactly two attempts, nothing dead-lettered
        assertThat(messagesFor(DINGTALK, FLAKY_TOKEN)).hasSize(2);
        assertThat(files(DEAD_LETTERS)).isEmpty();
    }

    @Test
    void rateLimitedRobotIsPausedAndKeepsItsAlerts() throws Exception {
        flakyAnswers(okJson("{\"errcode\":130101,\"errmsg\":\"send too fast\"}"), okJson("{\"errcode\":0,\"errmsg\":\"ok\"}"));
        postFixture("issue.assigned.json", "issue");
        awaitMessages(DINGTALK, FLAKY_TOKEN, 1);
        // The other robot is not paused.
        assertThat(awaitMessages(DINGTALK, STEADY_TOKEN, 1)).hasSize(1);
        Thread.sleep(1000);
        assertThat(messagesFor(DINGTALK, FLAKY_TOKEN)).as("paused: no retry yet").hasSize(1);
        List<LoggedRequest> attempts = awaitMessages(DINGTALK, FLAKY_TOKEN, 2);
        assertThat(attempts.get(1).getBodyAsString()).isEqualTo(attempts.get(0).getBodyAsString());
        await().atMost(Duration.ofSeconds(5)).until(() -> files(DATA_DIR.resolve("outbox").resolve("flaky")).isEmpty());
        assertThat(files(DEAD_LETTERS)).isEmpty();
    }

    @Test
    void fiveHundredTwiceThenOkDeliversExactlyOnce() throws Exception {
        flakyAnswers(aResponse().withStatus(500), aResponse().withStatus(503), okJson("{\"errcode\":0,\"errmsg\":\"ok\"}"));
        postFixture("event_alert.triggered.json", "event_alert");
        List<LoggedRequest> attempts = awaitMessages(DINGTALK, FLAKY_TOKEN, 3);
        // Three distinct timestamps: every POST is one of our signed attempts, none a hidden client retry.
        assertThat(attempts.stream().map(r -> query(r).get("timestamp")).distinct()).hasSize(3);
        Thread.sleep(1000);
        assertThat(messagesFor(DINGTALK, FLAKY_TOKEN)).hasSize(3);
        assertThat(files(DEAD_LETTERS)).isEmpty();
    }

    @Test
    void rejectedSignatureIsNotRetriedAndIsDeadLetteredWithoutSecrets(CapturedOutput output) throws Exception {
        flakyAnswers(okJson("{\"errcode\":310000,\"errmsg\":\"sign not match\"}"));

        postFixture("legacy-plugin.python-exception.json", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> writtenFiles(DEAD_LETTERS).size() == 1);
        // The other robot is not held up by the failing one.
        assertThat(awaitMessages(DINGTALK, STEADY_TOKEN, 1)).hasSize(1);
        Thread.sleep(1000); // longer than the whole retry schedule
        assertThat(messagesFor(DINGTALK, FLAKY_TOKEN)).as("no retry of a permanent failure").hasSize(1);

        Path file = writtenFiles(DEAD_LETTERS).get(0);
        String content = Files.readString(file);
        JsonNode letter = JSON.readTree(content);
        assertThat(letter.path("robot").asText()).isEqualTo("flaky");
        assertThat(letter.path("errcode").asInt()).isEqualTo(310000);
        assertThat(letter.path("errmsg").asText()).isEqualTo("sign not match");
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);
        assertThat(letter.path("reason").asText()).contains("check the robot's secret, this server's clock");
        assertThat(letter.path("failedAt").asText()).isNotBlank();
        assertThat(letter.path("message").path("title").asText()).isEqualTo("【foo-live】 ValueError: new sentry error.");
        assertThat(letter.path("alert").path("projectSlug").asText()).isEqualTo("foo-live");
        assertThat(content).doesNotContain(FLAKY_TOKEN).doesNotContain(FLAKY_SECRET)
                .doesNotContain(STEADY_TOKEN).doesNotContain("access_token");
        assertThat(file.getFileName().toString()).contains("flaky").doesNotContain(FLAKY_TOKEN);

        // One WARN line that names the robot and says what to do; no secret anywhere in the log.
        assertThat(output.getAll()).contains("WARN").contains("Alert not delivered to robot 'flaky' after 1 attempt(s): "
                + "errcode 310000 (sign not match): signature, keyword or IP rejected: check the robot's secret");
        assertThat(output.getAll()).doesNotContain(FLAKY_TOKEN).doesNotContain(FLAKY_SECRET).doesNotContain(STEADY_TOKEN);
    }

    @Test
    void exhaustedRetriesAreDeadLetteredWithTheAttemptCount() throws Exception {
        flakyAnswers(aResponse().withStatus(502));

        postFixture("issue.created.json", "issue");

        await().atMost(Duration.ofSeconds(20)).until(() -> writtenFiles(DEAD_LETTERS).size() == 1);
        assertThat(messagesFor(DINGTALK, FLAKY_TOKEN)).as("1 attempt + 3 retries").hasSize(4);
        JsonNode letter = JSON.readTree(Files.readString(writtenFiles(DEAD_LETTERS).get(0)));
        assertThat(letter.path("attempts").asInt()).isEqualTo(4);
        assertThat(letter.path("httpStatus").asInt()).isEqualTo(502);
        assertThat(letter.path("reason").asText()).isEqualTo("DingTalk answered HTTP 502 (server error)");
        assertThat(awaitMessages(DINGTALK, STEADY_TOKEN, 1)).hasSize(1);
    }
}
