package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static io.github.sentrydingtalk.RawDingTalk.flood;
import static io.github.sentrydingtalk.RawDingTalk.json;
import static io.github.sentrydingtalk.RawDingTalk.resetMidAnswer;
import static io.github.sentrydingtalk.RawDingTalk.trickle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DingTalk (or what sits in front of it) answering oddly, over real sockets: the errcode in the body
 * wins over the HTTP status, a reset counts as an attempt, every attempt ends at its deadline, a huge
 * answer is cut off, and a broken template is a template error, not an outage.
 * <p>
 * Each robot takes legacy-plugin alerts of its own project only; robot {@code tpl} takes the other
 * kinds, rendered with its own (broken) templates.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=limited", "dingtalk.robots[0].access-token=limited-token",
        "dingtalk.robots[0].events=legacy", "dingtalk.robots[0].projects=limited",
        "dingtalk.robots[1].name=reset", "dingtalk.robots[1].access-token=reset-token",
        "dingtalk.robots[1].events=legacy", "dingtalk.robots[1].projects=reset",
        "dingtalk.robots[2].name=trickle", "dingtalk.robots[2].access-token=trickle-token",
        "dingtalk.robots[2].events=legacy", "dingtalk.robots[2].projects=trickle",
        "dingtalk.robots[3].name=huge", "dingtalk.robots[3].access-token=huge-token",
        "dingtalk.robots[3].events=legacy", "dingtalk.robots[3].projects=huge",
        "dingtalk.robots[4].name=tpl", "dingtalk.robots[4].access-token=tpl-token",
        "dingtalk.robots[4].events=event_alert.*,metric_alert.*,issue.*",
        "dingtalk.retry.max-redeliveries=1",
        "dingtalk.retry.initial-delay=100",
        "dingtalk.retry.max-delay=100",
        // long: after its retries a robot stays paused for the rest of the test
        "dingtalk.retry.outage-pause=60s",
        "dingtalk.rate-limit.pause=2s",
        "dingtalk.http.response-timeout=5000",
        "dingtalk.http.deadline=1500",
})
@ExtendWith(OutputCaptureExtension.class)
class DingTalkWireFaultsTest extends ServiceTestSupport {

    static final RawDingTalk DINGTALK = start();
    static final Path DATA_DIR = tempDataDir();
    static final Path DEAD_LETTERS = DATA_DIR.resolve("dead-letter");
    static final Path TEMPLATES = copyTemplatesWithout("metric-alert.ftl");
    static final Path TPL_TEMPLATES = tempDataDir();

    static {
        try {
            // line 3 has an unknown built-in: a syntax error FreeMarker reports when it loads the file
            Files.writeString(TPL_TEMPLATES.resolve("event.ftl"),
                    "<#-- broken on purpose -->\n### ${variables.dingtalkTitle}\n${body.title?no_such_builtin}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawDingTalk start() {
        try {
            return new RawDingTalk();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copyTemplatesWithout(String missing) {
        try {
            Path target = Files.createTempDirectory("templates");
            try (Stream<Path> files = Files.list(Path.of("templates"))) {
                for (Path file : files.filter(f -> !f.getFileName().toString().equals(missing)).toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("dingtalk.base-url", DINGTALK::baseUrl);
        registry.add("notify.data-dir", DATA_DIR::toString);
        registry.add("notify.templates-dir", TEMPLATES::toString);
        registry.add("dingtalk.robots[4].templates", TPL_TEMPLATES::toString);
    }

    @AfterAll
    static void stopRawStandIn() throws IOException {
        DINGTALK.close();
    }

    /** A legacy-plugin alert of this project, unique by its marker. */
    private void postLegacy(String project, String marker) {
        String body = new String(fixture("legacy-plugin.python-exception.json"), StandardCharsets.UTF_8)
                .replace("foo-live", project).replace("new sentry error.", marker);
        assertThat(postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
    }

    private static List<Path> outbox(String robot) throws IOException {
        return files(DATA_DIR.resolve("outbox").resolve(robot)).stream()
                .filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    }

    private static List<JsonNode> deadLetters(String robot) throws IOException {
        List<JsonNode> letters = new java.util.ArrayList<>();
        for (Path file : files(DEAD_LETTERS)) {
            JsonNode letter = JSON.readTree(Files.readString(file));
            if (robot.equals(letter.path("robot").asText())) {
                letters.add(letter);
            }
        }
        return letters;
    }

    /** Scripts the robot's answers, then posts one alert for it only. */
    private void postOneAlert(String robot, RawDingTalk.Answer... answers) {
        DINGTALK.script(robot + "-token", answers);
        postLegacy(robot, robot + " once");
    }

    private static void assertKeptThroughOutage(String robot) throws IOException {
        assertThat(outbox(robot)).as("kept in the outbox").hasSize(1);
        assertThat(deadLetters(robot)).isEmpty();
    }

    /** All retries used up: the robot pauses for dingtalk.retry.outage-pause and keeps its alert. */
    private static void awaitOutagePause(CapturedOutput output, String robot, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).until(() ->
                output.getAll().contains("DingTalk unavailable for robot '" + robot + "' after all retries: pausing it"));
    }

    @Test
    void http429WithErrcode130101PausesTheRobotAndKeepsTheAlert(CapturedOutput output) throws Exception {
        postOneAlert("limited", json(429, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}"),
                json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> DINGTALK.attempts("limited-token").size() >= 1);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                output.getAll().contains("Robot 'limited' is rate limited by DingTalk: pausing it"));
        Thread.sleep(1000); // within dingtalk.rate-limit.pause (2 s)
        assertThat(DINGTALK.attempts("limited-token")).as("paused: no retry yet").hasSize(1);
        assertThat(outbox("limited")).as("the alert stays in the outbox").hasSize(1);
        assertThat(deadLetters("limited")).isEmpty();

        // after the pause it goes out, once
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox("limited").isEmpty());
        assertThat(DINGTALK.attempts("limited-token")).hasSize(2);
        assertThat(DINGTALK.attempts("limited-token").get(1).body()).contains("limited once");
        assertThat(deadLetters("limited")).isEmpty();
    }

    @Test
    void aResetMidAnswerCountsAsAnAttemptSoRetriesEnd(CapturedOutput output) throws Exception {
        postOneAlert("reset", resetMidAnswer());

        awaitOutagePause(output, "reset", 10);
        // 1 attempt + dingtalk.retry.max-redeliveries=1, then the 60 s outage pause: nothing more
        Thread.sleep(2000);
        assertThat(DINGTALK.attempts("reset-token")).hasSize(2);
        assertKeptThroughOutage("reset");
    }

    @Test
    void aTricklingAnswerEndsAtTheDeadline(CapturedOutput output) throws Exception {
        postOneAlert("trickle", trickle());

        awaitOutagePause(output, "trickle", 15);
        await().atMost(Duration.ofSeconds(5)).until(() -> DINGTALK.attempts("trickle-token").size() == 2);
        for (RawDingTalk.Attempt attempt : DINGTALK.attempts("trickle-token")) {
            // dingtalk.http.deadline=1500: well before the per-read response-timeout (5 s) could matter
            assertThat(attempt.millis()).as("attempt ended by the deadline").isBetween(1300L, 4000L);
        }
        assertKeptThroughOutage("trickle");
    }

    @Test
    void aHugeAnswerIsCutOffAndTheRobotGoesOn(CapturedOutput output) throws Exception {
        DINGTALK.script("huge-token", flood(400L * 1024 * 1024), json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        postLegacy("huge", "huge first");

        await().atMost(Duration.ofSeconds(15)).until(() -> output.getAll().contains("Delivered to robot 'huge' after 2 attempt(s)"));
        RawDingTalk.Attempt flooded = DINGTALK.attempts("huge-token").get(0);
        assertThat(flooded.bytesWritten()).as("read no further than the cap (plus socket buffers)")
                .isLessThan(32L * 1024 * 1024);
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox("huge").isEmpty());

        postLegacy("huge", "huge second");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(DINGTALK.attempts("huge-token")).hasSize(3));
        assertThat(DINGTALK.attempts("huge-token").get(2).body()).contains("huge second");
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox("huge").isEmpty());
        assertThat(deadLetters("huge")).isEmpty();
    }

    @Test
    void templateErrorsAreDeadLetteredAtOnceNamingTheFileAndLine(CapturedOutput output) throws Exception {
        postFixture("event_alert.triggered.json", "event_alert"); // the robot's event.ftl: syntax error, line 3
        postFixture("metric_alert.critical.json", "metric_alert"); // metric-alert.ftl: in no templates folder
        postFixture("issue.created.json", "issue"); // the default issue.ftl: fine

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters("tpl").size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> DINGTALK.attempts("tpl-token").size() == 1);
        assertThat(DINGTALK.attempts("tpl-token").get(0).body()).contains("ReferenceError: blooopy is not defined");

        List<String> reasons = deadLetters("tpl").stream().map(l -> l.path("reason").asText()).sorted().toList();
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("template error")
                .contains(TPL_TEMPLATES.resolve("event.ftl").toString()).contains("line 3"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("template not found")
                .contains("metric-alert.ftl"));
        for (JsonNode letter : deadLetters("tpl")) {
            assertThat(letter.path("attempts").asInt()).as("not retried").isZero();
        }
        assertThat(output.getAll()).doesNotContain("DingTalk unavailable for robot 'tpl'")
                .doesNotContain("tpl-token");
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox("tpl").isEmpty());
    }
}
