package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One Kafka broker (KRaft, in this JVM, no Docker) on a fixed free port, so that a test can stop it and
 * start a fresh one where the services expect it. A fresh broker is a new, empty cluster.
 */
public final class TestKafka implements AutoCloseable {

    private final int port;
    private EmbeddedKafkaKraftBroker broker;

    private TestKafka(int port) {
        this.port = port;
    }

    public static TestKafka start() {
        TestKafka kafka = new TestKafka(freePort());
        kafka.startBroker();
        return kafka;
    }

    /** host:port, for notify.kafka.bootstrap-servers. */
    public String bootstrapServers() {
        // spring-kafka-test 3.3's KRaft broker ignores kafkaPorts (it listens on a port of its own choice)
        return broker != null ? broker.getBrokersAsString() : "localhost:" + port;
    }

    /** Shuts the broker down: clients get no answer from its port until {@link #startFresh}. */
    public void stop() {
        if (broker != null) {
            broker.destroy();
            broker = null;
        }
    }

    /** A new, empty broker on the same port (the old one's data is gone). */
    public void startFresh() {
        stop();
        startBroker();
    }

    @Override
    public void close() {
        stop();
    }

    public Set<String> topics() {
        return broker.doWithAdminFunction(admin -> {
            try {
                return admin.listTopics().names().get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public int partitions(String topic) {
        return broker.doWithAdminFunction(admin -> {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every record in the topic's partition 0, oldest first (none when the topic does not exist). */
    public List<ConsumerRecord<String, String>> records(String topic) {
        if (!topics().contains(topic)) {
            return List.of();
        }
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(port);
        broker.afterPropertiesSet();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
