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

    private int start(Path dataDir) throws Exception {
        int port = freePort();
        Process process = new ProcessBuilder("java", "@jvm.options", "-jar", jar().toString(),
                "--server.port=" + port,
                "--notify.data-dir=" + dataDir,
                "--dingtalk.base-url=" + DINGTALK.baseUrl(),
                "--dingtalk.robots[0].name=ops",
                "--dingtalk.robots[0].access-token=durable-token",
                "--dingtalk.rate-limit.max-messages=1000",
                "--dingtalk.http.response-timeout=60000", "--dingtalk.http.deadline=90000")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()))
                .start();
        processes.add(process);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 405);
        return port;
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

    @Test
    void everyAcceptedAlertIsDeliveredAfterSigterm() throws Exception {
        acceptedAlertsSurvive("sigterm", Process::destroy); // SIGTERM: stop intake, keep what was accepted
    }
}
