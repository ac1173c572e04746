package io.github.sentrydingtalk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.sentrydingtalk.security.SentrySignatureVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentry retries a webhook that timed out or got a 5xx, rebuilt: the same body under a fresh Request-ID,
 * timestamp and signature. However it retries, one Sentry event gives one message.
 */
@TestPropertySource(properties = {
        "sentry.client-secret=" + SentryRetriesTest.CLIENT_SECRET,
        "sentry.webhook-token=" + SentryRetriesTest.WEBHOOK_TOKEN,
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + SentryRetriesTest.OPS_TOKEN,
        "dingtalk.robots[0].projects=front-end,bar,foo-live,retries-*",
        "dingtalk.robots[1].name=fragile",
        "dingtalk.robots[1].access-token=" + SentryRetriesTest.FRAGILE_TOKEN,
        "dingtalk.robots[1].projects=fragile",
        "dingtalk.retry.max-redeliveries=0",
})
class SentryRetriesTest extends ServiceTestSupport {

    static final String CLIENT_SECRET = "retries-client-secret";
    static final String WEBHOOK_TOKEN = "retries-webhook-token";
    static final String OPS_TOKEN = "retries-ops";
    static final String FRAGILE_TOKEN = "retries-fragile";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @BeforeEach
    void ok() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    /** One delivery as Sentry's webhook sender builds it: a fresh uuid4 hex Request-ID, timestamp and signature. */
    private HttpResponse<String> sentry(String resource, byte[] body, String requestId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Sentry-Hook-Resource", resource)
                .header("Request-ID", requestId)
                .header("Sentry-Hook-Timestamp", String.valueOf(System.currentTimeMillis() / 1000))
                .header("Sentry-Hook-Signature", SentrySignatureVerifier.hmacHex(CLIENT_SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sentry(String resource, byte[] body) throws Exception {
        return sentry(resource, body, UUID.randomUUID().toString().replace("-", ""));
    }

    private HttpResponse<String> legacy(byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry?token=" + WEBHOOK_TOKEN))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The first delivery and two retries: accepted once, then answered duplicate. */
    private void deliverWithRetries(String resource, byte[] body) throws Exception {
        List<String> statuses = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> answer = sentry(resource, body);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            statuses.add(JSON.readTree(answer.body()).path("status").asText());
        }
        assertThat(statuses).as(resource).containsExactly("accepted", "duplicate", "duplicate");
    }

    /**
     * A robot's alerts go out in order of arrival: once this last alert arrived, everything before it that
     * was going to be sent was sent. Returns the robot's messages before the sentinel.
     */
    private List<String> messagesBeforeSentinel(String token, byte[] sentinel, String marker) throws Exception {
        assertThat(legacy(sentinel).statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                messagesFor(DINGTALK, token).stream().anyMatch(r -> r.getBodyAsString().contains(marker)));
        List<String> texts = new ArrayList<>();
        for (var request : messagesFor(DINGTALK, token)) {
            texts.add(text(request));
        }
        assertThat(texts.get(texts.size() - 1)).as("the sentinel is the last message").contains(marker);
        return texts.subList(0, texts.size() - 1);
    }

    private static byte[] legacyAlert(String project, String message) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture("legacy-plugin.python-exception.json"));
        root.put("project_slug", project);
        root.put("message", message);
        return JSON.writeValueAsBytes(root);
    }

    private List<String> opsMessages() throws Exception {
        String marker = "sentinel-" + System.nanoTime();
        return messagesBeforeSentinel(OPS_TOKEN, legacyAlert("foo-live", marker), marker);
    }

    private static ObjectNode json(String fixture) throws IOException {
        return (ObjectNode) JSON.readTree(fixture(fixture));
    }

    private static ObjectNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return (ObjectNode) n;
    }

    @Test
    void sentryRetriesOfEveryKindGiveOneMessageEach() throws Exception {
        deliverWithRetries("event_alert", fixture("event_alert.triggered.json"));
        deliverWithRetries("error", fixture("error.created.json"));
        deliverWithRetries("issue", fixture("issue.created.json"));
        deliverWithRetries("metric_alert", fixture("metric_alert.critical.json"));
        // Any field the key is made of may be missing: then the body is the key.
        ObjectNode noEventId = json("event_alert.triggered.json");
        at(noEventId, "data", "event").putNull("event_id");
        at(noEventId, "data", "event").put("title", "no event id here");
        deliverWithRetries("event_alert", JSON.writeValueAsBytes(noEventId));

        assertThat(opsMessages()).hasSize(5);
    }

    @Test
    void anIssueResolvedUnresolvedAndResolvedAgainGivesThreeMessages() throws Exception {
        ObjectNode resolved = json("issue.resolved.json");
        ObjectNode issue = at(resolved, "data", "issue");
        issue.put("id", "77001");
        at(issue, "project").put("slug", "retries-issue");
        byte[] firstResolved = JSON.writeValueAsBytes(resolved);

        // A regression: a new event reopens it (Sentry sends action "unresolved" with the issue as it is now) ...
        resolved.put("action", "unresolved");
        issue.put("status", "unresolved").put("count", "2").put("lastSeen", "2019-08-20T08:00:00.000000Z");
        byte[] unresolved = JSON.writeValueAsBytes(resolved);
        // ... and someone resolves it again.
        resolved.put("action", "resolved");
        issue.put("status", "resolved");
        byte[] resolvedAgain = JSON.writeValueAsBytes(resolved);

        deliverWithRetries("issue", firstResolved);
        deliverWithRetries("issue", unresolved);
        deliverWithRetries("issue", resolvedAgain);

        List<String> messages = opsMessages();
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).contains("Resolved");
        assertThat(messages.get(2)).contains("Resolved");
    }

    @Test
    void aMetricAlertCriticalThenResolvedGivesTwoMessages() throws Exception {
        ObjectNode critical = json("metric_alert.critical.json");
        at(critical, "data", "metric_alert").put("id", "9901");
        at(critical, "data", "metric_alert", "alert_rule").putArray("projects").add("retries-metric");
        deliverWithRetries("metric_alert", JSON.writeValueAsBytes(critical));

        ObjectNode resolved = critical.deepCopy();
        resolved.put("action", "resolved");
        at(resolved, "data", "metric_alert").put("date_closed", "2020-09-13T12:46:40.000000Z").put("status", 2);
        at(resolved, "data").put("description_title", "Resolved: Too many errors");
        deliverWithRetries("metric_alert", JSON.writeValueAsBytes(resolved));

        List<String> messages = opsMessages();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).contains("Critical: Too many errors");
        assertThat(messages.get(1)).contains("Resolved: Too many errors");
    }

    @Test
    void hugeRequestIdsAreNeitherRecordedNorCopiedIntoAlerts() throws Exception {
        String hugeId = "r".repeat(7_000);
        ObjectNode event = json("event_alert.triggered.json");
        for (int i = 0; i < 30; i++) {
            at(event, "data", "event").put("event_id", "huge-request-id-" + i);
            HttpResponse<String> answer = sentry("event_alert", JSON.writeValueAsBytes(event), hugeId + i);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        }
        assertThat(opsMessages()).hasSize(30);
        List<String> lines = Files.readAllLines(DATA_DIR.resolve("seen-deliveries.log"));
        assertThat(lines).hasSizeGreaterThanOrEqualTo(30)
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(13 + 1 + 64));
        everyFileUnder(DATA_DIR).forEach((file, text) -> assertThat(text).as(file.toString())
                .doesNotContain("rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"));
    }

    @Test
    void anAlertThatCouldNotBeWrittenIsAcceptedWhenSentAgain() throws Exception {
        // The robot's outbox folder cannot be created: a file is in its place.
        Path folder = DATA_DIR.resolve("outbox").resolve("fragile");
        Files.createDirectories(folder.getParent());
        Files.writeString(folder, "not a folder");
        byte[] alert = legacyAlert("fragile", "written at the second try " + System.nanoTime());

        HttpResponse<String> failed = legacy(alert);
        assertThat(failed.statusCode()).as(failed.body()).isGreaterThanOrEqualTo(500);

        Files.delete(folder);
        HttpResponse<String> again = legacy(alert);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("accepted");
        String marker = "fragile-sentinel-" + System.nanoTime();
        List<String> fragile = messagesBeforeSentinel(FRAGILE_TOKEN, legacyAlert("fragile", marker), marker);
        assertThat(fragile).singleElement().satisfies(text -> assertThat(text).contains("written at the second try"));
    }

    private static CompletableFuture<HttpResponse<String>> whenStarted(CountDownLatch start, ExecutorService threads,
                                                                   java.util.concurrent.Callable<HttpResponse<String>> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    @Test
    void concurrentIdenticalDeliveriesGiveOneMessage() throws Exception {
        byte[] legacyBody = legacyAlert("foo-live", "eight at once " + System.nanoTime());
        ObjectNode event = json("event_alert.triggered.json");
        at(event, "data", "event").put("event_id", "concurrent-" + System.nanoTime());
        byte[] eventBody = JSON.writeValueAsBytes(event);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(whenStarted(start, threads, () -> legacy(legacyBody)));
            answers.add(whenStarted(start, threads, () -> sentry("event_alert", eventBody)));
        }
        start.countDown();
        long accepted = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            accepted += JSON.readTree(response.body()).path("status").asText().equals("accepted") ? 1 : 0;
        }
        threads.shutdown();
        assertThat(accepted).isEqualTo(2);
        assertThat(opsMessages()).hasSize(2);
    }
}
