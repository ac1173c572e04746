package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sentrydingtalk.Application;
import io.github.sentrydingtalk.ServiceTestSupport;
import io.github.sentrydingtalk.sentry.SentryAlert;
import io.github.sentrydingtalk.sentry.SentryAlertNormalizer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The delivery side's cluster harness: an embedded KRaft broker, service instances against it (in this
 * JVM, or as a process of its own to kill with SIGKILL), and alerts produced straight to the robots'
 * topics the way the accept side writes them (key: alert id, value: the alert JSON of an outbox file,
 * timestamp: accepted time).
 */
final class ClusterHarness {

    static final String PREFIX = "sentry-dingtalk";
    static final ObjectMapper JSON = new ObjectMapper();

    private ClusterHarness() {
    }

    static EmbeddedKafkaKraftBroker startBroker() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        // a group that gains a member is assigned at once, not after the broker's default 3 s
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        return broker;
    }

    static String topic(String robotFolder) {
        return PREFIX + ".robot." + robotFolder;
    }

    /** One partition per robot topic, as the accept side creates them. */
    static void createRobotTopics(EmbeddedKafkaKraftBroker broker, String... robotFolders) {
        for (String folder : robotFolders) {
            broker.addTopics(new NewTopic(topic(folder), 1, (short) 1));
        }
    }

    /** Settings of every instance: the robots, the stand-in, the broker; a data directory of its own. */
    static Map<String, String> instanceProperties(String replica, String bootstrap, String dingTalkUrl,
                                                  Map<String, String> more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("camel.main.name", replica);
        p.put("camel.main.routes-reload-enabled", "false");
        p.put("spring.artemis.embedded.enabled", "false");
        p.put("management.health.jms.enabled", "false");
        p.put("camel.metrics.enable-exchange-event-notifier", "false");
        p.put("camel.metrics.route-policy-level", "context");
        p.put("notify.drain-period", "50");
        p.put("notify.data-dir", tempDir().toString());
        p.put("dingtalk.base-url", dingTalkUrl);
        p.put("notify.kafka.bootstrap-servers", bootstrap);
        p.put("notify.kafka.replica-name", replica);
        // the broker's smallest: a killed replica gives its robots up after 6 s
        p.put("notify.kafka.session-timeout", "6s");
        p.putAll(more);
        return p;
    }

    static List<String> args(Map<String, String> properties) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return args;
    }

    static ConfigurableApplicationContext startInstance(Map<String, String> properties) {
        return SpringApplication.run(Application.class, args(properties).toArray(String[]::new));
    }

    /** 1 when this instance delivers the robot now, 0 when another does, -1 before its route first polled. */
    static double owned(ConfigurableApplicationContext instance, String robot) {
        Gauge gauge = instance.getBean(MeterRegistry.class).find("sentry_dingtalk_robot_owned").tag("robot", robot).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    static KafkaProducer<String, String> producer(EmbeddedKafkaKraftBroker broker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** An accepted event alert titled {@code title}, produced to the robot's topic and acknowledged. */
    static void produceAlert(KafkaProducer<String, String> producer, String robotFolder, String title, String level)
            throws IOException, InterruptedException, ExecutionException {
        ObjectNode payload = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("event_alert.triggered.json"));
        ObjectNode event = (ObjectNode) payload.path("data").path("event");
        event.put("title", title);
        event.put("level", level);
        Instant now = Instant.now();
        String id = String.format("%013d-%08x", now.toEpochMilli(), title.hashCode());
        SentryAlert alert = new SentryAlertNormalizer().normalize("event_alert", id, payload).accepted(id, now.toString());
        producer.send(new ProducerRecord<>(topic(robotFolder), null, now.toEpochMilli(), id, JSON.writeValueAsString(alert))).get();
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("sentry-dingtalk-cluster");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
