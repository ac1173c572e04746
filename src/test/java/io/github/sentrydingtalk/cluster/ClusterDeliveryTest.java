package io.github.sentrydingtalk.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.sentrydingtalk.ServiceTestSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas against one Kafka broker deliver every robot's backlog from its topic: one replica owns a
 * robot at a time, DingTalk's limit holds across both (the stand-in counts the robot's messages from
 * either replica and bans beyond it), order holds, and a robot paused by an outage keeps its records.
 * Alerts are produced straight to the robots' topics (the accept side is another branch's work).
 */
class ClusterDeliveryTest {

    static final int LIMIT = 10;
    static final long WINDOW_MILLIS = 4_000;
    static final LimitedDingTalk LIMITER = new LimitedDingTalk(LIMIT, WINDOW_MILLIS);
    static final Pattern TITLE = Pattern.compile("Storm (\\w+) n(\\d+)x");

    static WireMockServer dingTalk;
    static TestKafka kafka;
    static KafkaProducer<String, String> producer;
    static final List<Replica> REPLICAS = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        dingTalk = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(LIMITER));
        dingTalk.start();
        dingTalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        kafka = TestKafka.start();
        RobotTopicFixtures.createRobotTopics(kafka, "alpha", "beta", "gamma");
        producer = RobotTopicFixtures.producer(kafka);
        for (String replica : List.of("a", "b")) {
            REPLICAS.add(Replica.start(replica, Map.ofEntries(
                    Map.entry("notify.kafka.bootstrap-servers", kafka.bootstrapServers()),
                    Map.entry("notify.kafka.replica-name", replica),
                    // the broker's smallest: a replica that stops answering gives its robots up after 6 s
                    Map.entry("notify.kafka.session-timeout", "6s"),
                    // shorter than the outage below: a paused robot must still poll to stay in its group
                    Map.entry("notify.kafka.max-poll-interval", "6s"),
                    Map.entry("dingtalk.base-url", dingTalk.baseUrl()),
                    Map.entry("dingtalk.robots[0].name", "alpha"),
                    Map.entry("dingtalk.robots[0].access-token", "alpha-token"),
                    Map.entry("dingtalk.robots[1].name", "beta"),
                    Map.entry("dingtalk.robots[1].access-token", "beta-token"),
                    Map.entry("dingtalk.robots[2].name", "gamma"),
                    Map.entry("dingtalk.robots[2].access-token", "gamma-token"),
                    Map.entry("dingtalk.rate-limit.max-messages", String.valueOf(LIMIT)),
                    Map.entry("dingtalk.rate-limit.window", WINDOW_MILLIS + "ms"),
                    Map.entry("dingtalk.retry.max-redeliveries", "1"),
                    Map.entry("dingtalk.retry.initial-delay", "100"),
                    Map.entry("dingtalk.retry.outage-pause", "3s"))));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String robot : List.of("alpha", "beta", "gamma")) {
                assertThat(REPLICAS).allSatisfy(r -> assertThat(RobotTopicFixtures.owned(r, robot)).isNotNegative());
                assertThat(owners(robot)).as("replicas delivering robot %s", robot).hasSize(1);
            }
        });
    }

    @AfterAll
    static void stopCluster() {
        REPLICAS.forEach(Replica::close);
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (dingTalk != null) {
            dingTalk.stop();
        }
    }

    static List<Integer> owners(String robot) {
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < REPLICAS.size(); i++) {
            if (RobotTopicFixtures.owned(REPLICAS.get(i), robot) == 1) {
                owners.add(i);
            }
        }
        return owners;
    }

    @Test
    void aStormIsDeliveredOnceInOrderWithinTheRobotsBudgetAcrossBothReplicas() throws Exception {
        String[] levels = {"warning", "error", "fatal", "info"};
        for (int i = 0; i < 60; i++) {
            for (String robot : List.of("alpha", "beta")) {
                RobotTopicFixtures.produceAlert(producer, robot, "Storm " + robot + " n" + i + "x", levels[i % levels.length]);
            }
            Thread.sleep(50); // a storm over a few rate-limit windows, not one burst
        }

        for (String robot : List.of("alpha", "beta")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> delivered(robot).stream().mapToInt(List::size).sum() >= 60);
        }

        assertThat(LIMITER.refused.get()).as("messages DingTalk refused as too fast (130101)").isZero();
        for (String robot : List.of("alpha", "beta")) {
            List<List<Integer>> messages = delivered(robot);
            assertThat(messages.stream().flatMap(List::stream).sorted().toList())
                    .as("every alert of %s delivered exactly once", robot).isEqualTo(range(60));
            assertInOrder(robot, messages);
            assertThat(messages.size()).as("the storm was folded into digests").isLessThan(60);
            assertThat(owners(robot)).as("replicas delivering %s", robot).hasSize(1);
        }
    }

    @Test
    void aRobotPausedByAnOutageKeepsItsRecordsAndDeliversThemInOrderAfterwards() throws Exception {
        int ownerBefore = owners("gamma").get(0);
        LIMITER.down.add("gamma-token");
        for (int i = 0; i < 12; i++) {
            RobotTopicFixtures.produceAlert(producer, "gamma", "Storm gamma n" + i + "x", "error");
        }
        // longer than notify.kafka.max-poll-interval (6 s): attempts, outage pauses of 3 s, attempts again
        long outageStart = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> attempts("gamma-token") >= 6 && System.currentTimeMillis() - outageStart > 8_000);
        assertThat(delivered("gamma")).isEmpty();
        LIMITER.down.remove("gamma-token");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> delivered("gamma").stream().mapToInt(List::size).sum() >= 12);
        List<List<Integer>> messages = delivered("gamma");
        assertThat(messages.stream().flatMap(List::stream).sorted().toList())
                .as("every alert delivered exactly once").isEqualTo(range(12));
        assertInOrder("gamma", messages);
        assertThat(owners("gamma")).as("the paused robot stayed with its replica").containsExactly(ownerBefore);
        assertThat(LIMITER.refused.get()).isZero();
    }

    /** Each message's alert numbers, in the order DingTalk accepted them (errcode 0 only). */
    static List<List<Integer>> delivered(String robot) throws Exception {
        return deliveredTo(dingTalk, robot);
    }

    static List<List<Integer>> deliveredTo(WireMockServer dingTalk, String robot) {
        List<ServeEvent> events = new ArrayList<>(dingTalk.getAllServeEvents());
        events.sort(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<List<Integer>> messages = new ArrayList<>();
        for (ServeEvent event : events) {
            if (!(robot + "-token").equals(ServiceTestSupport.query(event.getRequest()).get("access_token"))
                    || event.getResponse().getStatus() != 200 || !event.getResponse().getBodyAsString().contains("\"errcode\":0")) {
                continue;
            }
            List<Integer> numbers = new ArrayList<>();
            Matcher m;
            try {
                m = TITLE.matcher(ServiceTestSupport.text(event.getRequest()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            while (m.find()) {
                if (m.group(1).equals(robot)) {
                    numbers.add(Integer.parseInt(m.group(2)));
                }
            }
            messages.add(numbers);
        }
        return messages;
    }

    static long attempts(String token) {
        return dingTalk.getAllServeEvents().stream()
                .filter(e -> token.equals(ServiceTestSupport.query(e.getRequest()).get("access_token"))).count();
    }

    /** Single messages in order, and every digest after everything before it and before everything after. */
    static void assertInOrder(String robot, List<List<Integer>> messages) {
        int last = -1;
        for (List<Integer> message : messages) {
            assertThat(message).as("a message of %s", robot).isNotEmpty();
            assertThat(message.stream().mapToInt(Integer::intValue).min().orElseThrow())
                    .as("%s: message %s comes after alert %d", robot, message, last).isGreaterThan(last);
            last = message.stream().mapToInt(Integer::intValue).max().orElseThrow();
        }
    }

    static List<Integer> range(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
}
