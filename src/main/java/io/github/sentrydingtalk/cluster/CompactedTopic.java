package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted one-partition topic that every replica reads whole: each record (key, value; an empty
 * value is a tombstone, the key deleted) goes to {@code onRecord}, first all that are there, before the
 * constructor returns, then new ones as they come, on a thread of its own. {@link #write} waits for Kafka's
 * acknowledgement ({@code acks=all}). Behind the stores of what the replicas share until it is deleted:
 * ad-hoc silences and dead letters.
 */
final class CompactedTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopic.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final BiConsumer<String, byte[]> onRecord;
    private volatile boolean running = true;

    CompactedTopic(Producer<String, byte[]> producer, Consumer<String, byte[]> consumer, String topic,
                   BiConsumer<String, byte[]> onRecord) {
        this.producer = producer;
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        this.onRecord = onRecord;
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        catchUp();
        Thread follower = new Thread(this::follow, topic + "-follower");
        follower.setDaemon(true);
        follower.start();
    }

    String name() {
        return partition.topic();
    }

    /** Everything already in the topic, before anything is asked of it. */
    private void catchUp() {
        long end = consumer.endOffsets(List.of(partition), CATCH_UP).getOrDefault(partition, 0L);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (consumer.position(partition, CATCH_UP) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read the topic " + partition.topic() + " to its end");
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
            LOG.warn("Stopped following the topic {}: {}", partition.topic(), e.toString());
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null) {
            onRecord.accept(record.key(), record.value() == null || record.value().length == 0 ? null : record.value());
        }
    }

    /** Writes KEY's new value (null: deletes it), acknowledged by Kafka when this returns. */
    void write(String key, byte[] value, String what) throws IOException {
        try {
            producer.send(new ProducerRecord<>(partition.topic(), 0, key, value))
                    .get(ClusterKafka.DELIVERY_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + what, e);
        } catch (Exception e) {
            throw new IOException("Kafka did not take " + what + ": " + ClusterKafka.unavailableReason(e), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        producer.close(Duration.ofSeconds(2));
    }
}
