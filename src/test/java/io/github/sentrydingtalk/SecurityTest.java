package io.github.sentrydingtalk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.sentrydingtalk.security.SentrySignatureVerifier;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Everything the network can send: signatures, the legacy token, size and shape limits, admin
 * endpoints, and no secret in logs, answers or files even when deliveries fail.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "sentry.client-secret=" + SecurityTest.OLD_CLIENT_SECRET + "," + SecurityTest.CLIENT_SECRET,
        "sentry.webhook-token=" + SecurityTest.WEBHOOK_TOKEN,
        "sentry.max-body-size=64KB",
        "dingtalk.retry.give-up-after=0s", // 500s end in a dead letter at once, to check it for secrets
        "admin.token=" + SecurityTest.ADMIN_TOKEN,
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + SecurityTest.ROBOT_TOKEN,
        "dingtalk.robots[0].secret=" + SecurityTest.ROBOT_SECRET,
        "dingtalk.robots[1].name=broken",
        "dingtalk.robots[1].access-token=" + SecurityTest.BROKEN_TOKEN,
        "dingtalk.robots[1].secret=" + SecurityTest.BROKEN_SECRET,
        "dingtalk.retry.max-redeliveries=2",
        "dingtalk.retry.initial-delay=50",
})
class SecurityTest extends ServiceTestSupport {

    static final String CLIENT_SECRET = "client-secret-9f8e7d6c5b4a";
    static final String OLD_CLIENT_SECRET = "client-secret-old-112233";
    static final String WEBHOOK_TOKEN = "webhook-token-a1b2c3d4";
    static final String ADMIN_TOKEN = "admin-token-zz9988";
    static final String ROBOT_TOKEN = "robot-token-ops-5566";
    static final String ROBOT_SECRET = "SECrobotsecretops77889900";
    static final String BROKEN_TOKEN = "robot-token-broken-4433";
    static final String BROKEN_SECRET = "SECbrokensecret11223344";
    static final List<String> ALL_SECRETS = List.of(CLIENT_SECRET, OLD_CLIENT_SECRET, WEBHOOK_TOKEN, ADMIN_TOKEN,
            ROBOT_TOKEN, ROBOT_SECRET, BROKEN_TOKEN, BROKEN_SECRET);

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @BeforeEach
    void stubs() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(ROBOT_TOKEN))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        // The broken robot: bad secret first, then 500s for the retried ones.
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(BROKEN_TOKEN))
                .willReturn(aResponse().withStatus(500)));
    }

    private HttpResponse<String> send(String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> integration(String resource, byte[] body, String secret) {
        return send("/webhooks/sentry", body, "Content-Type", "application/json", "Sentry-Hook-Resource", resource,
                "Request-ID", "r-" + System.nanoTime(), "Sentry-Hook-Signature", SentrySignatureVerifier.hmacHex(secret, body));
    }

    private HttpResponse<String> legacy(String query, byte[] body) {
        return send("/webhooks/sentry" + query, body, "Content-Type", "application/json");
    }

    private static void assertUnauthorized(HttpResponse<String> response, String reason) throws IOException {
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("unauthorized");
        assertThat(body.path("reason").asText()).contains(reason);
    }

    @Test
    void signedNonAsciiPayloadIsAcceptedAndArrivesIntact() throws Exception {
        // The Chinese legacy sample's event, as an Integration Platform event alert, serialised as Sentry does.
        com.fasterxml.jackson.databind.node.ObjectNode payload = JSON.createObjectNode().put("action", "triggered");
        payload.putObject("data").set("event", JSON.readTree(fixture("legacy-plugin.chinese-markdown.json")).path("event"));
        byte[] event = JSON.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                .writeValueAsBytes(payload);
        assertThat(new String(event, StandardCharsets.US_ASCII)).contains("\\u652F"); // 支, escaped as Sentry does

        HttpResponse<String> answer = integration("event_alert", event, CLIENT_SECRET);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String text = text(awaitMessages(DINGTALK, ROBOT_TOKEN, 1).get(0));
        assertThat(text).startsWith("### 支付失败：余额不足 \\*重要\\*");

        // The same payload signed over its UTF-8 re-serialisation does not verify: the raw bytes count.
        byte[] reserialised = JSON.writeValueAsBytes(JSON.readTree(event));
        HttpResponse<String> wrongBytes = send("/webhooks/sentry", event, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "event_alert", "Sentry-Hook-Signature",
                SentrySignatureVerifier.hmacHex(CLIENT_SECRET, reserialised));
        assertUnauthorized(wrongBytes, "invalid Sentry-Hook-Signature");
    }

    @Test
    void aRotatedSecretStillVerifies() throws Exception {
        assertThat(integration("issue", fixture("issue.created.json"), OLD_CLIENT_SECRET).statusCode()).isEqualTo(202);
        awaitMessages(DINGTALK, ROBOT_TOKEN, 1);
    }

    /** An issue webhook whose title no other test uses, to tell its messages apart from the rest. */
    private static byte[] markedIssue(String marker) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(fixture("issue.created.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("data").path("issue")).put("title", marker);
        return JSON.writeValueAsBytes(root);
    }

    private static long messagesContaining(String marker) {
        return DINGTALK.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString().contains(marker)).count();
    }

    @Test
    void missingOrWrongSignaturesAreRefusedAndSendNothing() throws Exception {
        String marker = "refused-" + System.nanoTime();
        byte[] body = markedIssue(marker);
        assertUnauthorized(send("/webhooks/sentry", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue"), "missing Sentry-Hook-Signature");
        assertUnauthorized(integration("issue", body, "not-the-secret"), "invalid Sentry-Hook-Signature");
        assertUnauthorized(send("/webhooks/sentry", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue", "Sentry-Hook-Signature", "zz"), "invalid Sentry-Hook-Signature");
        // Dropping the resource header to pass as the legacy plugin does not help.
        assertUnauthorized(legacy("", body), "missing ?token=");
        Thread.sleep(500);
        assertThat(messagesContaining(marker)).isZero();
    }

    @Test
    void legacyPluginNeedsTheToken() throws Exception {
        byte[] body = fixture("legacy-plugin.python-exception.json");
        assertUnauthorized(legacy("", body), "missing ?token=");
        assertUnauthorized(legacy("?token=nope", body), "wrong ?token=");
        assertUnauthorized(send("/webhooks/sentry", body, "Content-Type", "application/json", "token", WEBHOOK_TOKEN),
                "missing ?token=");
        assertThat(legacy("?token=" + WEBHOOK_TOKEN, body).statusCode()).isEqualTo(202);
        awaitMessages(DINGTALK, ROBOT_TOKEN, 1);
    }

    @Test
    void bodiesOverTheLimitGet413AndTheServiceGoesOn() throws Exception {
        byte[] big = ("{\"message\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> tooBig = legacy("?token=" + WEBHOOK_TOKEN, big);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooBig.body()).path("reason").asText()).contains("sentry.max-body-size");

        // Chunked, no Content-Length: still cut off at the limit.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry?token=" + WEBHOOK_TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        assertThat(HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);

        String marker = "after-413-" + System.nanoTime();
        assertThat(integration("issue", markedIssue(marker), CLIENT_SECRET).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesContaining(marker) > 0);
    }

    @Test
    void hundredsOfMalformedRequestsThenAGoodOneIsDelivered() throws Exception {
        Random random = new Random(42);
        String good = new String(fixture("event_alert.triggered.json"), StandardCharsets.UTF_8);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            bodies.add(good.substring(0, random.nextInt(good.length())).getBytes(StandardCharsets.UTF_8)); // truncated
            byte[] binary = new byte[1 + random.nextInt(2000)];
            random.nextBytes(binary);
            bodies.add(binary);
        }
        String[] junk = {"null", "1", "\"s\"", "[]", "true", "{\"x\":[[[1]]]}", "[{}]", "-1e999"};
        String[] paths = {"data", "data.event", "data.event.exception", "data.event.exception.values",
                "data.event.exception.values.0", "data.event.exception.values.0.stacktrace",
                "data.event.exception.values.0.stacktrace.frames", "data.event.tags", "data.event.user",
                "data.event.request", "data.event.metadata", "data.issue", "data.issue.project", "data.issue.assignedTo",
                "data.metric_alert", "data.metric_alert.alert_rule", "data.metric_alert.alert_rule.projects", "actor"};
        for (String path : paths) {
            for (String value : junk) {
                bodies.add(withValueAt(good, path, value));
            }
        }
        bodies.add(("{\"a\":" + "[".repeat(60_000)).getBytes(StandardCharsets.UTF_8)); // deep, yet under the size limit
        String[] resources = {"event_alert", "error", "issue", "metric_alert", "comment", "installation", "whatever"};

        int i = 0;
        for (byte[] body : bodies) {
            String resource = resources[i++ % resources.length];
            HttpResponse<String> answer = integration(resource, body, CLIENT_SECRET);
            assertThat(answer.statusCode()).as("request %d (%s): %s", i, resource, answer.body()).isIn(202, 400);
            assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at io.");
        }
        assertThat(bodies).hasSizeGreaterThan(250);

        // Still serving: a good alert goes through. (Many of the wrong-typed ones were delivered too.)
        DINGTALK.resetAll();
        stubs();
        assertThat(integration("issue", fixture("issue.created.json"), CLIENT_SECRET).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesFor(DINGTALK, ROBOT_TOKEN).stream()
                .anyMatch(r -> r.getBodyAsString().contains("blooopy is not defined")));
    }

    private static byte[] withValueAt(String json, String path, String value) throws IOException {
        JsonNode root = JSON.readTree(json);
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = parent.isArray() ? parent.path(Integer.parseInt(parts[i])) : parent.path(parts[i]);
            if (next.isMissingNode()) {
                next = ((com.fasterxml.jackson.databind.node.ObjectNode) parent).putObject(parts[i]);
            }
            parent = next;
        }
        JsonNode replacement = value.equals("-1e999") ? JSON.getNodeFactory().textNode(value) : JSON.readTree(value);
        String last = parts[parts.length - 1];
        if (parent.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), replacement);
        } else if (parent.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) parent).set(last, replacement);
        }
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void adminPreviewNeedsTheBearerTokenAndSendsNothing() throws Exception {
        String marker = "preview-" + System.nanoTime();
        byte[] body = markedIssue(marker);
        assertUnauthorized(send("/admin/preview?robot=ops", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue"), "Bearer");
        assertUnauthorized(send("/admin/preview?robot=ops", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue", "Authorization", "Bearer " + ADMIN_TOKEN + "x"), "Bearer");
        assertUnauthorized(send("/admin/preview?robot=ops", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue", "Authorization", ADMIN_TOKEN), "Bearer");

        HttpResponse<String> preview = send("/admin/preview?robot=ops", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(preview.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(preview.body());
        assertThat(message.path("msgtype").asText()).isEqualTo("markdown");
        assertThat(message.path("markdown").path("title").asText()).isEqualTo("【front-end】 " + marker);
        assertThat(message.path("markdown").path("text").asText()).contains("**🆕 New issue**");

        HttpResponse<String> unknown = send("/admin/preview?robot=nobody", body, "Content-Type", "application/json",
                "Sentry-Hook-Resource", "issue", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        Thread.sleep(300);
        assertThat(messagesContaining(marker)).isZero();
    }

    @Test
    void noSecretInLogsAnswersOrFilesAfterFailures(CapturedOutput output) throws Exception {
        // A bad secret (310000) for one alert, 500s until dead letter for another, refused requests.
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(BROKEN_TOKEN))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("blooopy"))
                .willReturn(okJson("{\"errcode\":310000,\"errmsg\":\"sign not match\"}")));
        Path deadLetters = DATA_DIR.resolve("dead-letter");
        int lettersBefore = writtenFiles(deadLetters).size();
        List<String> answers = new ArrayList<>();
        answers.add(integration("issue", fixture("issue.created.json"), CLIENT_SECRET).body());
        answers.add(legacy("?token=" + WEBHOOK_TOKEN, fixture("legacy-plugin.python-exception.json")).body());
        answers.add(legacy("?token=" + WEBHOOK_TOKEN + "x", fixture("legacy-plugin.python-exception.json")).body());
        answers.add(integration("issue", fixture("issue.created.json"), "wrong").body());
        answers.add(send("/admin/preview?robot=broken", fixture("issue.created.json"), "Content-Type", "application/json",
                "Authorization", "Bearer " + ADMIN_TOKEN + "-wrong").body());

        await().atMost(Duration.ofSeconds(30)).until(() -> writtenFiles(deadLetters).size() >= lettersBefore + 2
                && output.getAll().contains("Alert not delivered to robot 'broken'"));

        List<String> everything = new ArrayList<>(answers);
        everything.add(output.getAll());
        everyFileUnder(DATA_DIR).forEach((file, text) -> {
            everything.add(file.toString());
            everything.add(text);
        });
        for (String secret : ALL_SECRETS) {
            assertThat(everything).as("no trace of a configured secret").noneMatch(s -> s.contains(secret));
        }
        assertThat(output.getAll()).contains("Alert not delivered to robot 'broken'")
                .doesNotContain("open to anyone");
    }
}
