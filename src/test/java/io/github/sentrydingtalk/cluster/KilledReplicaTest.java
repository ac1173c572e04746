package io.github.sentrydingtalk.cluster;

import java.io.File;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replica that owns the robots is killed with SIGKILL (a process of its own) in the middle of a
 * storm: the survivor takes the robots over and delivers every alert, sends again at most the message
 * each robot had in flight, and keeps to the budget the dead replica had already used in the current
 * window (DingTalk's limit, enforced by the stand-in across both, is never exceeded).
 */
class KilledReplicaTest {

    static final int LIMIT = 10;
    static final long WINDOW_MILLIS = 10_000;
    static final int ALERTS = 80;
    static final List<String> ROBOTS = List.of("alpha", "beta");
    static final LimitedDingTalk LIMITER = new LimitedDingTalk(LIMIT, WINDOW_MILLIS);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static WireMockServer dingTalk;
    static TestKafka kafka;
    static Process victim;
    static Replica survivor;

    @AfterAll
    static void stopEverything() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        if (survivor != null) {
            survivor.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (dingTalk != null) {
            dingTalk.stop();
        }
    }

    static Map<String, String> properties(String replica) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("notify.kafka.replica-name", replica);
        // the broker's smallest: the killed replica's robots move after 6 s without a heartbeat
        p.put("notify.kafka.session-timeout", "6s");
        p.put("dingtalk.base-url", dingTalk.baseUrl());
        for (int i = 0; i < ROBOTS.size(); i++) {
            p.put("dingtalk.robots[" + i + "].name", ROBOTS.get(i));
            p.put("dingtalk.robots[" + i + "].access-token", ROBOTS.get(i) + "-token");
        }
        p.put("dingtalk.rate-limit.max-messages", String.valueOf(LIMIT));
        p.put("dingtalk.rate-limit.window", WINDOW_MILLIS + "ms");
        return p;
    }

    /** The whole service in a JVM of its own, as the jar runs it, on this test's classpath. */
    static Process startProcess(String replica, int port) throws IOException {
        Path dataDir = Files.createTempDirectory("sentry-dingtalk-" + replica);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "io.github.sentrydingtalk.Application",
                "--server.port=" + port, "--notify.data-dir=" + dataDir, "--notify.drain-period=50",
                "--camel.main.routes-reload-enabled=false", "--spring.artemis.embedded.enabled=false",
                "--management.health.jms.enabled=false"));
        properties(replica).forEach((k, v) -> command.add("--" + k + "=" + v));
        File log = Path.of("target", "killed-replica-" + replica + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    static boolean ownedByProcess(int port, String robot) {
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().anyMatch(line -> line.startsWith("sentry_dingtalk_robot_owned{")
                    && line.contains("robot=\"" + robot + "\"") && line.endsWith(" 1.0"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theSurvivorDeliversEveryAlertWithinTheBudgetTheDeadReplicaLeftAndRepeatsAtMostTheMessageInFlight() throws Exception {
        dingTalk = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(LIMITER));
        dingTalk.start();
        dingTalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        kafka = TestKafka.start();
        RobotTopicFixtures.createRobotTopics(kafka, ROBOTS.toArray(String[]::new));

        // "a-victim" sorts before "b-survivor": Kafka's range assignor leaves both robots with it
        int victimPort = freePort();
        victim = startProcess("a-victim", victimPort);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> ROBOTS.stream().allMatch(robot -> ownedByProcess(victimPort, robot)));
        survivor = Replica.start("b-survivor", new LinkedHashMap<>(properties("b-survivor")));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ROBOTS.stream().allMatch(robot -> RobotTopicFixtures.owned(survivor, robot) == 0));

        try (KafkaProducer<String, String> producer = RobotTopicFixtures.producer(kafka)) {
            for (int i = 0; i < ALERTS; i++) {
                if (i == ALERTS / 2) {
                    // mid-storm, with the window used up by the victim: SIGKILL, no goodbye to Kafka
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            ROBOTS.stream().allMatch(robot -> ClusterDeliveryTest.deliveredTo(dingTalk, robot).size() >= LIMIT / 2));
                    victim.destroyForcibly().waitFor();
                }
                for (String robot : ROBOTS) {
                    RobotTopicFixtures.produceAlert(producer, robot, "Storm " + robot + " n" + i + "x", i % 3 == 0 ? "fatal" : "error");
                }
                Thread.sleep(50);
            }
        }

        for (String robot : ROBOTS) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    new HashSet<>(ClusterDeliveryTest.deliveredTo(dingTalk, robot).stream().flatMap(List::stream).toList()).size() >= ALERTS);
        }
        assertThat(LIMITER.refused.get()).as("messages DingTalk refused as too fast (130101)").isZero();
        for (String robot : ROBOTS) {
            List<List<Integer>> messages = ClusterDeliveryTest.deliveredTo(dingTalk, robot);
            Set<Integer> seen = new HashSet<>();
            List<List<Integer>> firstDeliveries = new ArrayList<>();
            int repeated = 0;
            for (List<Integer> message : messages) {
                List<Integer> fresh = message.stream().filter(seen::add).toList();
                repeated += fresh.size() < message.size() ? 1 : 0;
                if (!fresh.isEmpty()) {
                    firstDeliveries.add(fresh);
                }
            }
            assertThat(seen).as("%s: every alert delivered", robot).hasSize(ALERTS);
            ClusterDeliveryTest.assertInOrder(robot, firstDeliveries);
            assertThat(repeated).as("%s: messages sent again (at most the one in flight at the kill)", robot).isLessThanOrEqualTo(1);
            assertThat(RobotTopicFixtures.owned(survivor, robot)).as("the survivor delivers %s now", robot).isEqualTo(1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
