package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.sentrydingtalk.silences.Silences;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Silences over real HTTP: what a silence mutes never reaches DingTalk; everything else does, unchanged. */
@AutoConfigureObservability // Spring Boot tests turn metrics export off unless asked
@TestPropertySource(properties = {
        "admin.token=admin-silences",
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=ops-token",
        "dingtalk.robots[1].name=dev",
        "dingtalk.robots[1].access-token=dev-token",
        // configured: resolved metric alerts never go to dev
        "notify.silences[0].robot=dev",
        "notify.silences[0].kind=metric_alert.resolved",
        "notify.silences[0].comment=dev does not care about recoveries",
})
class SilencesEndToEndTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final String TOKEN = "admin-silences";

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Autowired
    CamelContext camelContext;

    /** The silences' clock, set by each test. */
    static final class SetClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final SetClock clock = new SetClock();

    private Silences silences() {
        return camelContext.getRegistry().lookupByNameAndType("silences", Silences.class);
    }

    /** Each test counts only its own requests: what an earlier test sent has reached the stand-in by now. */
    @BeforeEach
    void setClockAndForgetEarlierRequests() {
        silences().setClock(clock);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                files(DATA_DIR.resolve("outbox/ops")).isEmpty() && files(DATA_DIR.resolve("outbox/dev")).isEmpty());
        DINGTALK.resetRequests();
    }

    @AfterEach
    void liftAdHocSilences() throws Exception {
        for (JsonNode s : JSON.readTree(admin("GET", "/admin/silences", null, TOKEN).body())) {
            if (s.path("origin").asText().equals("api")) {
                admin("DELETE", "/admin/silences/" + s.path("id").asText(), null, TOKEN);
            }
        }
        silences().setClock(Clock.systemUTC());
    }

    private HttpResponse<String> admin(String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String addSilence(String json) throws Exception {
        HttpResponse<String> added = admin("POST", "/admin/silences", json, TOKEN);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(added.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        String id = JSON.readTree(added.body()).path("id").asText();
        assertThat(id).isNotBlank();
        return id;
    }

    /** The same Sentry event again, as a new one. */
    private void forgetSeenEvents() {
        camelContext.getRegistry().lookupByNameAndType("seenDeliveries", IdempotentRepository.class).clear();
    }

    private JsonNode preview(String robot, String fixture, String resource) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/preview?robot=" + robot))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fixture(fixture)));
        if (resource != null) {
            request.header("Sentry-Hook-Resource", resource);
        }
        return JSON.readTree(HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private double metric(String name, String labels) throws Exception {
        String prometheus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        var m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(prometheus);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    @Test
    void aSilencedAlertReachesNoRobotWhileOthersAreSentAndDeleteLiftsTheSilence() throws Exception {
        clock.now = Instant.parse("2026-11-25T10:00:00Z");
        String id = addSilence("{\"robot\":\"ops\",\"project\":\"foo-*\",\"text\":\"valueerror\",\"duration\":\"2h\","
                + "\"comment\":\"deploying foo\",\"createdBy\":\"li.lei\"}");
        double silencedBefore = metric("sentry_dingtalk_silenced_total", "robot=\"ops\"");

        postFixture("legacy-plugin.python-exception.json", null); // project foo-live, "ValueError: new sentry error."
        postFixture("issue.created.json", "issue");               // project front-end: not silenced
        // ops sends in order of arrival: its first message is the issue, so the silenced alert was never sent
        assertThat(text(awaitMessages(DINGTALK, "ops-token", 1).get(0))).contains("blooopy").doesNotContain("ValueError");
        assertThat(awaitMessages(DINGTALK, "dev-token", 2)).extracting(r -> text(r).contains("ValueError")).containsExactly(true, false);
        assertThat(files(DATA_DIR.resolve("outbox/ops"))).as("never in ops's backlog").isEmpty();
        assertThat(metric("sentry_dingtalk_silenced_total", "robot=\"ops\"")).isEqualTo(silencedBefore + 1);

        JsonNode listed = JSON.readTree(admin("GET", "/admin/silences", null, TOKEN).body());
        JsonNode mine = null;
        for (JsonNode s : listed) {
            if (s.path("id").asText().equals(id)) {
                mine = s;
            }
        }
        assertThat(mine).as(listed.toString()).isNotNull();
        assertThat(mine.path("state").asText()).isEqualTo("active");
        assertThat(mine.path("start").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(mine.path("end").asText()).isEqualTo("2026-11-25T12:00:00Z");
        assertThat(mine.path("activeUntil").asText()).isEqualTo("2026-11-25T12:00:00Z");
        assertThat(mine.path("comment").asText()).isEqualTo("deploying foo");
        assertThat(mine.path("createdBy").asText()).isEqualTo("li.lei");
        assertThat(listed.get(0).path("id").asText()).as("configured first").isEqualTo("configured-0");

        HttpResponse<String> deleted = admin("DELETE", "/admin/silences/" + id, null, TOKEN);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(admin("DELETE", "/admin/silences/" + id, null, TOKEN).statusCode()).isEqualTo(404);
        forgetSeenEvents();
        postFixture("legacy-plugin.python-exception.json", null);
        assertThat(text(awaitMessages(DINGTALK, "ops-token", 2).get(1))).contains("ValueError: new sentry error.");
    }

    @Test
    void anExpiredSilenceMutesNoMore() throws Exception {
        clock.now = Instant.parse("2026-11-25T10:00:00Z");
        addSilence("{\"level\":\"error\",\"start\":\"2026-11-25T09:00:00Z\",\"end\":\"2026-11-25T11:00:00Z\"}");
        postFixture("legacy-plugin.python-exception.json", null);
        postFixture("metric_alert.critical.json", "metric_alert"); // no level: not matched by "level at most error"
        assertThat(text(awaitMessages(DINGTALK, "ops-token", 1).get(0))).doesNotContain("ValueError");

        clock.now = Instant.parse("2026-11-25T11:00:00Z");
        forgetSeenEvents();
        postFixture("legacy-plugin.python-exception.json", null);
        assertThat(text(awaitMessages(DINGTALK, "ops-token", 2).get(1))).contains("ValueError: new sentry error.");
    }

    @Test
    void aRecurringWindowMutesOnlyWithinItsHoursInItsTimeZone() throws Exception {
        // every night 00:00-07:00 in Shanghai, for production
        clock.now = Instant.parse("2026-11-24T12:00:00Z");
        addSilence("{\"environment\":\"production\",\"schedule\":\"0 0 * * *\",\"duration\":\"7h\",\"timeZone\":\"Asia/Shanghai\"}");

        clock.now = Instant.parse("2026-11-25T22:59:00Z"); // 06:59 in Shanghai
        postFixture("metric_alert.critical.json", "metric_alert");
        assertThat(preview("ops", "metric_alert.critical.json", "metric_alert").path("status").asText()).isEqualTo("silenced");

        clock.now = Instant.parse("2026-11-25T23:00:00Z"); // 07:00 in Shanghai: over
        forgetSeenEvents();
        postFixture("metric_alert.critical.json", "metric_alert");
        assertThat(awaitMessages(DINGTALK, "ops-token", 1)).hasSize(1);
        assertThat(awaitMessages(DINGTALK, "dev-token", 1)).hasSize(1);
        assertThat(DINGTALK.getAllServeEvents()).as("only the alert after the window").hasSize(2);
    }

    @Test
    void aConfiguredSilenceMutesItsRobotOnly() throws Exception {
        postFixture("metric_alert.resolved.json", "metric_alert");
        postFixture("metric_alert.critical.json", "metric_alert");
        assertThat(awaitMessages(DINGTALK, "ops-token", 2)).hasSize(2);
        assertThat(text(awaitMessages(DINGTALK, "dev-token", 1).get(0))).doesNotContain("Resolved");
    }

    @Test
    void previewNamesTheSilence() throws Exception {
        clock.now = Instant.parse("2026-11-25T03:00:00Z");
        String id = addSilence("{\"robot\":\"ops\",\"tag\":\"server_name:enter*\",\"end\":\"2026-11-25T12:00:00+08:00\"}");
        JsonNode silenced = preview("ops", "legacy-plugin.python-exception.json", null);
        assertThat(silenced.path("status").asText()).isEqualTo("silenced");
        assertThat(silenced.path("silence").asText()).isEqualTo(id);
        assertThat(silenced.path("until").asText()).isEqualTo("2026-11-25T04:00:00Z");
        assertThat(preview("dev", "legacy-plugin.python-exception.json", null).path("msgtype").asText()).isEqualTo("markdown");
        assertThat(preview("dev", "metric_alert.resolved.json", "metric_alert").path("silence").asText()).isEqualTo("configured-0");
        assertThat(allRequests(DINGTALK)).as("preview sends nothing").isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"severity\":\"error\",\"duration\":\"1h\"} | severity: unknown field",
            "{\"project\":\"a\",\"schedule\":\"0 0 * *\",\"duration\":\"7h\"} | schedule: not a cron expression",
            "{\"project\":\"a\",\"schedule\":\"0 25 * * *\",\"duration\":\"7h\"} | schedule: not a cron expression: hour must be 0-23",
            "{\"project\":\"a\",\"start\":\"2026-11-25T10:00:00Z\",\"end\":\"2026-11-25T09:00:00Z\"} | end: must be after start",
            "{\"comment\":\"no matcher\",\"duration\":\"1h\"} | matchers: give at least one of robot",
            "{\"level\":\"loud\",\"duration\":\"1h\"} | level: must be one of",
            "{\"tag\":\"no-colon\",\"duration\":\"1h\"} | tag: must be key:value",
            "{\"project\":\"a\",\"duration\":\"soon\"} | duration: not a duration",
            "{\"project\":\"a\",\"schedule\":\"0 0 * * *\",\"duration\":\"7h\",\"timeZone\":\"Mars/Base\"} | timeZone: not a time zone",
            "{\"project\":\"a\",\"end\":\"tomorrow\"} | end: not a date-time",
            "{\"project\":\"a\"} | end: give end or duration",
            "{\"robot\":\"nobody\",\"duration\":\"1h\"} | robot: no robot with that name",
            "[1,2] | body: must be a JSON object",
    })
    void badInputIs400NamingTheField(String json, String reason) throws Exception {
        HttpResponse<String> refused = admin("POST", "/admin/silences", json, TOKEN);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.path("status").asText()).isEqualTo("rejected");
        assertThat(body.path("reason").asText()).startsWith(reason);
        assertThat(JSON.readTree(admin("GET", "/admin/silences", null, TOKEN).body())).as("nothing added").hasSize(1);
    }

    @Test
    void theSilenceEndpointsNeedTheAdminToken() throws Exception {
        assertThat(admin("POST", "/admin/silences", "{\"project\":\"a\",\"duration\":\"1h\"}", null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/admin/silences", null, "wrong").statusCode()).isEqualTo(401);
        assertThat(admin("DELETE", "/admin/silences/configured-0", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> configured = admin("DELETE", "/admin/silences/configured-0", null, TOKEN);
        assertThat(configured.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(configured.body()).path("reason").asText()).startsWith("id: a configured silence");
    }
}
