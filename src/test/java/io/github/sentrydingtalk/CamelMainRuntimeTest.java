package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The service without Spring Boot ({@link CamelMainRuntime}: routes/ under camel-main and Vert.x): a
 * payload in, a signed message out; the intake gate while it starts and stops; the body limit before
 * the body is read; Camel's health and metrics in place of the actuator's.
 */
class CamelMainRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final WireMockServer dingtalk = ServiceTestSupport.startStandIn();
    private final Path dataDir = tempDir();
    private final int port = freePort();
    private Running service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
        dingtalk.stop();
    }

    /**
     * The runtime as {@code CamelMainRuntime.main} runs it ({@code Main.run()}: camel-main calls its
     * listeners only there), on its own thread; {@link #stop()} is what SIGTERM does.
     */
    static final class Running {
        final Main main;
        final CompletableFuture<Void> run;
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

        Running(Map<String, String> settings) {
            main = CamelMainRuntime.create(settings);
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                @Override
                public void afterStart(org.apache.camel.main.BaseMainSupport m) {
                    started.countDown(); // after CamelMainRuntime's own afterStart: warmed up, gate open
                }
            });
            run = CompletableFuture.runAsync(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        Running awaitStarted() throws InterruptedException {
            assertThat(started.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("started").isTrue();
            return this;
        }

        void stop() {
            main.completed();
            run.join();
        }
    }

    @Test
    void signedMessageOutHealthAndMetrics() throws Exception {
        acceptMessages();
        service = new Running(settings()).awaitStarted();

        HttpResponse<String> answer = postIssue(ServiceTestSupport.fixture("issue.created.json"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> ServiceTestSupport.messagesFor(dingtalk, "main-token").size() == 1);
        LoggedRequest request = ServiceTestSupport.messagesFor(dingtalk, "main-token").get(0);
        Map<String, String> q = ServiceTestSupport.query(request);
        assertThat(q.get("sign")).isEqualTo(ServiceTestSupport.expectedSign(q.get("timestamp"), "SECmainsecret"));
        assertThat(ServiceTestSupport.text(request)).startsWith("### 【front-end】 ReferenceError: blooopy is not defined\n\n**🆕 New issue**");

        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(checks(health.body())).containsEntry("data-dir", "UP").containsEntry("intake", "UP");
        HttpResponse<String> ready = get("/observe/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(checks(ready.body())).containsEntry("intake", "UP");

        HttpResponse<String> metrics = get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("sentry_dingtalk_outbox_depth{robot=\"ops\"} 0.0")
                .contains("sentry_dingtalk_delivered_total{robot=\"ops\"} 1.0")
                .doesNotContain("main-token", "SECmainsecret");
    }

    @Test
    void oversizedBodyIsRefusedBeforeItIsRead() throws Exception {
        service = new Running(settings()).awaitStarted();

        // Declares 600 MB and sends 1 MB of it: the answer must come now, not after the rest.
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/sentry HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 629145600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(new byte[1024 * 1024]);
            } catch (IOException closedByTheServer) {
                // it may have answered and closed already
            }
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"status\":\"rejected\"", "sentry.max-body-size");
        }

        // A body whose length nobody declared is refused before it is read, over HTTP/1.1 (chunked) and
        // HTTP/2 (h2c, which this client asks for by default): it could be any size.
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpResponse<String> undeclared = HttpClient.newBuilder().version(version).build().send(
                    HttpRequest.newBuilder(uri("/webhooks/sentry")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024])))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(undeclared.statusCode()).as("%s: %s", version, undeclared.body()).isEqualTo(411);
            assertThat(undeclared.body()).contains("\"status\":\"rejected\"", "Content-Length");
        }

        // Within the limit, a body still passes the gate (and is refused by the route for what it is).
        HttpResponse<String> notSentry = postIssue("not json".getBytes(StandardCharsets.UTF_8));
        assertThat(notSentry.statusCode()).as(notSentry.body()).isEqualTo(400);
    }

    @Test
    void webhooksWhileStartingGet503AndNothingElse() throws Exception {
        acceptMessages();
        service = new Running(settings());

        List<Integer> statuses = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        boolean sawNotReady = false;
        int acceptedN = -1;
        for (int n = 0; acceptedN < 0; n++) {
            assertThat(n).as("answers so far: %s", new java.util.TreeSet<>(statuses)).isLessThan(100_000);
            try {
                HttpResponse<String> answer = postIssue(distinctIssue(n));
                statuses.add(answer.statusCode());
                acceptedN = answer.statusCode() == 202 ? n : -1;
                if (answer.statusCode() == 503) {
                    refusals.add(answer.body() + " Retry-After=" + answer.headers().firstValue("Retry-After").orElse(null));
                    sawNotReady |= get("/observe/health/ready").statusCode() == 503;
                }
            } catch (ConnectException notListeningYet) {
                Thread.sleep(5);
            }
        }
        service.awaitStarted();

        // The server listens before the routes run and the warm-up is over: all that time, 503 (Sentry
        // retries it), never a 404 (Sentry does not), and the readiness probe says so.
        assertThat(statuses).isNotEmpty().allMatch(s -> s == 503 || s == 202);
        assertThat(statuses.subList(0, statuses.size() - 1)).as("the gate was closed while the service started").isNotEmpty();
        assertThat(refusals).allMatch(r -> r.contains("\"status\":\"unavailable\"") && r.endsWith("Retry-After=10"));
        assertThat(sawNotReady).isTrue();
        // Nothing answered 503 was accepted: one message, the one answered 202.
        await().atMost(Duration.ofSeconds(20)).until(() -> ServiceTestSupport.messagesFor(dingtalk, "main-token").size() >= 1);
        Thread.sleep(500);
        List<LoggedRequest> messages = ServiceTestSupport.messagesFor(dingtalk, "main-token");
        assertThat(messages).hasSize(1);
        assertThat(ServiceTestSupport.text(messages.get(0))).contains("gate alert " + acceptedN + " ");
    }

    @Test
    void shutdownRefusesNewWebhooksAndDeliversEveryAcceptedOneOnce() throws Exception {
        acceptMessages();
        service = new Running(settings()).awaitStarted();

        Map<Integer, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean stopped = new AtomicBoolean();
        CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> {
            for (int n = 0; !stopped.get() || answers.size() < 50; n++) {
                try {
                    answers.put(n, postIssue(distinctIssue(n)).statusCode());
                } catch (IOException refusedOrClosed) {
                    if (stopped.get()) {
                        return; // the server has closed
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> answers.containsValue(202));
        service.stop();
        stopped.set(true);
        posting.join();

        assertThat(answers.values()).as("answers: %s", new java.util.TreeSet<>(answers.values())).allMatch(s -> s == 202 || s == 503);
        List<Integer> accepted = answers.entrySet().stream().filter(e -> e.getValue() == 202).map(Map.Entry::getKey).sorted().toList();

        // Started again on the same data directory: every alert answered 202 reaches DingTalk exactly once,
        // whether it went out before the stop or waited on disk; none answered 503 does.
        service = new Running(settings()).awaitStarted();
        await().atMost(Duration.ofSeconds(30)).until(() -> ServiceTestSupport.messagesFor(dingtalk, "main-token").size() >= accepted.size());
        Thread.sleep(500);
        List<String> delivered = new ArrayList<>();
        for (LoggedRequest message : ServiceTestSupport.messagesFor(dingtalk, "main-token")) {
            String text = ServiceTestSupport.text(message);
            delivered.add(text.substring(text.indexOf("gate alert "), text.indexOf(" is not defined")));
        }
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(accepted.stream().map(n -> "gate alert " + n).toList());
    }

    private Map<String, String> settings() {
        return Map.of("server.port", String.valueOf(port),
                "notify.data-dir", dataDir.toString(),
                "dingtalk.base-url", dingtalk.baseUrl(),
                "dingtalk.robots[0].name", "ops",
                "dingtalk.robots[0].access-token", "main-token",
                "dingtalk.robots[0].secret", "SECmainsecret",
                // every alert its own message here, not folded into a digest
                "dingtalk.rate-limit.max-messages", "100000",
                "camel.main.routes-reload-enabled", "false");
    }

    /**
     * A port another process holds: Vert.x only logs that it could not bind, and Camel goes on. The run
     * must end with exit code 1 rather than leave a service that looks started and takes no webhook.
     */
    @Test
    void aPortInUseEndsTheRunWithExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(port)) {
            service = new Running(settings());
            service.run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(service.main.getExitCode()).isEqualTo(1);
            assertThat(service.main.getCamelContext().isStopped()).as("Camel stopped").isTrue();
        }
    }

    /** The training run of an image's class data sharing archive: start, warm up, end by itself. */
    @Test
    void exitAfterWarmUpEndsTheRunWithExitCodeZero() throws Exception {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("notify.exit-after-warm-up", "true");
        service = new Running(settings);
        service.run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(service.main.getExitCode()).isZero();
        assertThat(service.main.getCamelContext().isStopped()).as("Camel stopped").isTrue();
    }

    private void acceptMessages() {
        dingtalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    /** The issue.created sample as another issue: its own id and title, so not a retry of the first. */
    private static byte[] distinctIssue(int n) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("issue.created.json"));
        ObjectNode issue = (ObjectNode) root.path("data").path("issue");
        issue.put("id", String.valueOf(900_000 + n));
        issue.put("title", "ReferenceError: gate alert " + n + " is not defined");
        return JSON.writeValueAsBytes(root);
    }

    private HttpResponse<String> postIssue(byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri("/webhooks/sentry")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Sentry-Hook-Resource", "issue")
                .header("Request-ID", java.util.UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Camel's health answer as check name → state. */
    private static Map<String, String> checks(String body) throws IOException {
        Map<String, String> states = new HashMap<>();
        JSON.readTree(body).path("checks").forEach(c -> states.put(c.path("name").asText(), c.path("status").asText()));
        return states;
    }

    private static String readAnswer(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        StringBuilder answer = new StringBuilder();
        while (!answer.toString().endsWith("}")) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return answer.toString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("camel-main");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
