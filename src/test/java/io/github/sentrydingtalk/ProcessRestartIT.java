package io.github.sentrydingtalk;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar as a real process: every alert answered 202 is delivered after the process is
 * killed with SIGKILL (kill -9) or stopped with SIGTERM, and started again on the same data directory.
 * {@link CamelMainProcessRestartIT} runs the same tests against the camel-main runtime.
 */
class ProcessRestartIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final WireMockServer DINGTALK = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final String OK = "{\"errcode\":0,\"errmsg\":\"ok\"}";
    final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startStandIn() {
        DINGTALK.start();
    }

    @AfterAll
    static void stopStandIn() {
        DINGTALK.stop();
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("sentry-dingtalk-camel-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run `mvn package` first: no jar under target/"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private int start(Path dataDir, String... more) throws Exception {
        int port = freePort();
        launch(dataDir, port, more);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 405);
        return port;
    }

    /** How the service is started: the packaged jar, as README says. */
    List<String> serviceCommand() throws IOException {
        return List.of("java", "@jvm.options", "-jar", jar().toString());
    }

    /** The readiness probe of that runtime. */
    String readinessPath() {
        return "/actuator/health/readiness";
    }

    /** Starts the service on this port and returns at once, before it listens. */
    private Process launch(Path dataDir, int port, String... more) throws Exception {
        List<String> command = new ArrayList<>(serviceCommand());
        command.addAll(List.of(
                "--server.port=" + port,
                "--notify.data-dir=" + dataDir,
                "--dingtalk.base-url=" + DINGTALK.baseUrl(),
                "--dingtalk.robots[0].name=ops",
                "--dingtalk.robots[0].access-token=durable-token",
                "--dingtalk.rate-limit.max-messages=1000",
                "--dingtalk.http.response-timeout=60000", "--dingtalk.http.deadline=90000"));
        for (String setting : more) { // one value per property: Spring would join two into "a,b"
            command.removeIf(arg -> arg.startsWith(setting.substring(0, setting.indexOf('=') + 1)));
            command.add(setting);
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()))
                .start();
        processes.add(process);
        return process;
    }

    /** One webhook with its own title; the answer's status, or -1 when no connection could be made. */
    private static int postTitled(int port, String title) throws Exception {
        ObjectNode alert = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("legacy-plugin.python-exception.json"));
        ((ObjectNode) alert.path("event")).put("title", title);
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(alert))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 503) {
                assertThat(answer.headers().firstValue("Retry-After")).as("503 says when to come back").isPresent();
                assertThat(JSON.readTree(answer.body()).path("status").asText()).isEqualTo("unavailable");
            }
            return answer.statusCode();
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            return -1; // not listening (yet, or any more): Sentry counts it as a failure and retries
        } catch (IOException e) {
            return -2; // connection closed under a request in flight at shutdown: also retried by Sentry
        }
    }

    private int readiness(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + readinessPath()))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Sentry posts while a deploy starts the service: from the first accepted connection every webhook is
     * either accepted (202) or answered 503 with Retry-After, never 404 (which Sentry would not retry); once
     * the readiness probe is UP, webhooks are accepted; and every 202 is delivered.
     */
    @Test
    void webhooksPostedWhileStartingAreAcceptedOrRetriedNeverLost() throws Exception {
        Path dataDir = Files.createTempDirectory("starting");
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson(OK)));
        int port = freePort();
        launch(dataDir, port);
        List<String> accepted = new ArrayList<>();
        List<Integer> answers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; accepted.size() < 20 && System.nanoTime() < deadline; i++) {
            boolean ready = readiness(port) == 200;
            String title = "starting " + i;
            int status = postTitled(port, title);
            if (status != -1) {
                answers.add(status);
            }
            if (ready) {
                assertThat(status).as("readiness was UP, so webhook %d is accepted", i).isEqualTo(202);
            }
            if (status == 202) {
                accepted.add(title);
            }
        }
        assertThat(answers).as("every answer from the first accepted connection").isNotEmpty().allMatch(s -> s == 202 || s == 503);
        assertThat(accepted).hasSize(20);
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("starting").size() == accepted.size());
        assertThat(delivered("starting")).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(DINGTALK.findAll(postRequestedFor(urlPathEqualTo("/robot/send"))))
                .as("the warm-up at startup sends nothing to DingTalk: one message per accepted webhook")
                .hasSize(accepted.size());
    }

    /**
     * SIGTERM while Sentry keeps posting: no webhook is refused in a way Sentry would not retry (only 202 or
     * 503, or no connection), and every 202 is delivered, by the next start at the latest.
     */
    @Test
    void webhooksPostedWhileStoppingAreAcceptedOrRetriedNeverLost() throws Exception {
        Path dataDir = Files.createTempDirectory("stopping");
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson(OK)));
        int port = start(dataDir);
        Process first = processes.get(0);
        List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; !stopped.get(); i++) {
                    String title = "stopping " + (thread * 1_000_000 + i);
                    try {
                        int status = postTitled(port, title);
                        if (status >= 0) {
                            answers.add(status);
                        }
                        if (status == 202) {
                            accepted.add(title);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 20);
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the process stopped").isTrue();
        stopped.set(true);
        for (Thread sender : senders) {
            sender.join();
        }
        assertThat(answers).as("answers around SIGTERM").allMatch(s -> s == 202 || s == 503);

        start(dataDir);
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("stopping").containsAll(accepted));
    }

    private static List<String> accept(int port, int count, String prefix) throws Exception {
        ObjectNode alert = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("legacy-plugin.python-exception.json"));
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String title = prefix + " " + i;
            ((ObjectNode) alert.path("event")).put("title", title);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(alert))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(202);
            titles.add(title);
        }
        return titles;
    }

    private static Set<String> delivered(String prefix) {
        Set<String> titles = new TreeSet<>();
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + " \\d+");
        DINGTALK.findAll(postRequestedFor(urlPathEqualTo("/robot/send"))).forEach(r -> {
            Matcher m = pattern.matcher(r.getBodyAsString());
            while (m.find()) {
                titles.add(m.group());
            }
        });
        return titles;
    }

    /**
     * DingTalk hangs, so nothing can be delivered; 25 alerts are accepted, the process is stopped by
     * {@code stop}; started again on the same data directory, with DingTalk answering, it delivers all 25.
     */
    private void acceptedAlertsSurvive(String prefix, java.util.function.Consumer<Process> stop) throws Exception {
        Path dataDir = Files.createTempDirectory(prefix);
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson(OK).withFixedDelay(60_000)));
        int port = start(dataDir);
        List<String> titles = accept(port, 25, prefix);

        Process first = processes.get(0);
        stop.accept(first);
        assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the process stopped").isTrue();

        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson(OK)));
        start(dataDir);
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered(prefix).size() == titles.size());
        assertThat(delivered(prefix)).containsExactlyInAnyOrderElementsOf(titles);
    }

    @Test
    void everyAcceptedAlertIsDeliveredAfterKillDashNine() throws Exception {
        acceptedAlertsSurvive("kill-nine", Process::destroyForcibly); // SIGKILL, right after the 202s
    }

    /**
     * kill -9 while 16 connections keep posting and DingTalk answers at once, so alerts are being accepted
     * (each outbox file fsynced before its 202) and delivered at the moment of
     * the kill: after the restart every webhook answered 202 is delivered, and at most the one message in
     * flight at the kill goes out twice (an alert delivered before the kill is not sent again).
     */
    @Test
    void everyAcceptedAlertIsDeliveredAfterKillDashNineUnderLoad() throws Exception {
        Path dataDir = Files.createTempDirectory("kill-under-load");
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson(OK)));
        // no digests: each message carries one alert, so a duplicate is one message sent twice
        String[] unlimited = {"--dingtalk.rate-limit.max-messages=100000000"};
        int port = start(dataDir, unlimited);
        Process first = processes.get(0);
        List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; !killed.get(); i++) {
                    String title = "under load " + (thread * 1_000_000 + i);
                    try {
                        if (postTitled(port, title) == 202) {
                            accepted.add(title);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 400 && !delivered("under load").isEmpty());
        first.destroyForcibly(); // SIGKILL amid webhooks and deliveries
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the process was killed").isTrue();
        killed.set(true);
        for (Thread sender : senders) {
            sender.join();
        }
        int deliveredBeforeRestart = delivered("under load").size();

        start(dataDir, unlimited);
        await().atMost(Duration.ofSeconds(90)).until(() -> delivered("under load").containsAll(accepted));
        Map<String, Long> sends = deliveries("under load");
        assertThat(sends.keySet()).containsAll(accepted);
        assertThat(sends.values().stream().filter(n -> n > 1).count())
                .as("alerts sent twice (%d accepted, %d delivered before the kill)", accepted.size(), deliveredBeforeRestart)
                .isLessThanOrEqualTo(1);
    }

    /** How many times each alert of this prefix reached DingTalk. */
    private static Map<String, Long> deliveries(String prefix) {
        Map<String, Long> counts = new java.util.HashMap<>();
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + " \\d+");
        DINGTALK.findAll(postRequestedFor(urlPathEqualTo("/robot/send"))).forEach(r -> {
            // a message names its alert's title more than once (title and text): count each message once
            Matcher m = pattern.matcher(r.getBodyAsString());
            Set<String> inThisMessage = new TreeSet<>();
            while (m.find()) {
                inThisMessage.add(m.group());
            }
            inThisMessage.forEach(title -> counts.merge(title, 1L, Long::sum));
        });
        return counts;
    }

    /** Another process holds the port: the service ends with an error naming it, and does not run on without it. */
    @Test
    void aStartOnAPortInUseEndsTheProcessWithAnError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path dataDir = Files.createTempDirectory("port-in-use");
            Process process = launch(dataDir, taken.getLocalPort());
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process ended").isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(dataDir.resolveSibling(dataDir.getFileName() + ".log")))
                    .contains("port " + taken.getLocalPort(), "in use");
        }
    }

    @Test
    void everyAcceptedAlertIsDeliveredAfterSigterm() throws Exception {
        acceptedAlertsSurvive("sigterm", Process::destroy); // SIGTERM: stop intake, keep what was accepted
    }
}
