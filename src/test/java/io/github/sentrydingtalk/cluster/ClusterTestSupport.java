package io.github.sentrydingtalk.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Clustered mode under test: one embedded Kafka broker (KRaft) and one DingTalk stand-in (WireMock,
 * answering errcode 0 unless a test stubs otherwise) per test class, and as many service instances as a
 * test starts with {@link #startReplica}, each on its own port and data directory, all closed after the
 * class. Robot "ops" (token {@value #TOKEN}) takes every alert; webhooks are signed with {@value #CLIENT_SECRET}.
 */
public abstract class ClusterTestSupport {

    protected static final String PREFIX = "sentry-dingtalk";
    protected static final String TOKEN = "cluster-token";
    protected static final String CLIENT_SECRET = "cluster-client-secret";

    protected static TestKafka kafka;
    protected static WireMockServer dingTalk;
    private static final List<Replica> REPLICAS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startKafkaAndDingTalk() {
        kafka = TestKafka.start();
        dingTalk = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        dingTalk.start();
        dingTalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @AfterAll
    static void stopEverything() {
        REPLICAS.forEach(Replica::close);
        REPLICAS.clear();
        if (kafka != null) {
            kafka.close();
        }
        if (dingTalk != null) {
            dingTalk.stop();
        }
    }

    /** The settings every replica of this class gets; a test class may add its own in {@code extra}. */
    protected static Map<String, Object> clusterProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("notify.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("dingtalk.base-url", dingTalk.baseUrl());
        properties.put("dingtalk.robots[0].name", "ops");
        properties.put("dingtalk.robots[0].access-token", TOKEN);
        properties.put("sentry.client-secret", CLIENT_SECRET);
        properties.put("dingtalk.rate-limit.max-messages", "100000");
        return properties;
    }

    protected static Replica startReplica(String name) {
        return startReplica(name, Map.of());
    }

    protected static Replica startReplica(String name, Map<String, Object> extra) {
        Map<String, Object> properties = clusterProperties();
        properties.putAll(extra);
        Replica replica = Replica.start(name, properties);
        REPLICAS.add(replica);
        return replica;
    }

    protected static String robotTopic(String robotName) {
        return KafkaTopics.robotTopic(PREFIX, io.github.sentrydingtalk.robots.Robot.folderName(robotName));
    }
}
