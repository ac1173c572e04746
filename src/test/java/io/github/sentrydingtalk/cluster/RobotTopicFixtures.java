package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sentrydingtalk.ServiceTestSupport;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import io.github.sentrydingtalk.sentry.SentryAlertNormalizer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The delivery side's fixtures: robot topics as the accept side creates them (one partition), alerts
 * produced straight to them as the accept side writes them (key: alert id, value: the alert JSON of an
 * outbox file, timestamp: accepted time), and the ownership gauge of a replica.
 */
final class RobotTopicFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private RobotTopicFixtures() {
    }

    static String topic(String robotName) {
        return KafkaTopics.robotTopic(ClusterTestSupport.PREFIX, Robot.folderName(robotName));
    }

    static void createRobotTopics(TestKafka kafka, String... robotNames) throws InterruptedException {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            for (String robot : robotNames) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic(robot), 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    static KafkaProducer<String, String> producer(TestKafka kafka) {
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** An accepted event alert titled {@code title}, produced to the robot's topic and acknowledged. */
    static void produceAlert(KafkaProducer<String, String> producer, String robot, String title, String level)
            throws IOException, InterruptedException, ExecutionException {
        ObjectNode payload = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("event_alert.triggered.json"));
        ObjectNode event = (ObjectNode) payload.path("data").path("event");
        event.put("title", title);
        event.put("level", level);
        Instant now = Instant.now();
        String id = String.format("%013d-%08x", now.toEpochMilli(), title.hashCode());
        SentryAlert alert = new SentryAlertNormalizer().normalize("event_alert", id, payload).accepted(id, now.toString());
        producer.send(new ProducerRecord<>(topic(robot), null, now.toEpochMilli(), id, JSON.writeValueAsString(alert))).get();
    }

    /** 1 when this replica delivers the robot now, 0 when another does, -1 before its route first polled. */
    static double owned(Replica replica, String robot) {
        Gauge gauge = replica.context().getBean(MeterRegistry.class).find("sentry_dingtalk_robot_owned").tag("robot", robot).gauge();
        return gauge == null ? -1 : gauge.value();
    }
}
