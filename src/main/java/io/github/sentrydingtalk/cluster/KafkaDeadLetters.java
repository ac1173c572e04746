package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import io.github.sentrydingtalk.delivery.DeadLetters;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters shared by every replica: the compacted topic {@code <prefix>.dead-letters}, key = the
 * letter's name, value = its JSON, a tombstone once replayed. A letter written by the replica that owned
 * the robot can be replayed from any replica, and outlives that replica's disk. Each replica reads the
 * topic into its own map at startup and follows it; a save or remove is acknowledged by Kafka
 * ({@code acks=all}) before it returns.
 */
public class KafkaDeadLetters implements DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final Map<String, byte[]> letters = new ConcurrentSkipListMap<>();
    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private volatile boolean running = true;

    public KafkaDeadLetters(Producer<String, byte[]> producer, Consumer<String, byte[]> consumer, String topic) {
        this.producer = producer;
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        catchUp();
        Thread follower = new Thread(this::follow, "dead-letters-follower");
        follower.setDaemon(true);
        follower.start();
    }

    private void catchUp() {
        long end = consumer.endOffsets(List.of(partition), CATCH_UP).getOrDefault(partition, 0L);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (consumer.position(partition, CATCH_UP) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read the dead-letter topic " + partition.topic() + " to its end");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(this::apply);
        }
    }

    private void follow() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
            }
        } catch (WakeupException stopping) {
            // close() woke it up
        } catch (RuntimeException e) {
            LOG.warn("Stopped following the dead-letter topic {}: {}", partition.topic(), e.toString());
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null || record.value().length == 0) {
            letters.remove(record.key());
        } else {
            letters.put(record.key(), record.value());
        }
    }

    @Override
    public String where() {
        return "the Kafka topic " + partition.topic();
    }

    @Override
    public void save(String name, byte[] json) throws IOException {
        send(name, json);
        letters.put(name, json);
    }

    @Override
    public List<Letter> all() {
        List<Letter> all = new ArrayList<>();
        letters.forEach((name, json) -> all.add(new Letter(name, json)));
        return all;
    }

    @Override
    public void remove(String name) throws IOException {
        send(name, null);
        letters.remove(name);
    }

    /** Kept in the topic: another replica may read it better; one WARN. */
    @Override
    public void setAside(String name) {
        LOG.warn("Dead letter {} in {} cannot be read: skipped", name, partition.topic());
    }

    private void send(String key, byte[] value) throws IOException {
        try {
            producer.send(new ProducerRecord<>(partition.topic(), 0, key, value)).get(ClusterKafka.DELIVERY_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing a dead letter", e);
        } catch (Exception e) {
            throw new IOException("Kafka did not take the dead letter: " + ClusterKafka.unavailableReason(e), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        producer.close(Duration.ofSeconds(2));
    }
}
