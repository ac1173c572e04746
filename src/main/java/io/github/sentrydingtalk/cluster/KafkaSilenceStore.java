package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.silences.Silence;
import io.github.sentrydingtalk.silences.SilenceStore;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ad-hoc silences shared by every replica: the compacted topic {@code <prefix>.silences}, key = the
 * silence's id, value = its JSON, an empty value (a tombstone) once it is deleted. Each replica reads the
 * topic from its start into its own map before it accepts alerts, then follows it on a thread of its
 * own; {@link #all} (asked for every alert) only reads that map. A save or delete is acknowledged by
 * Kafka ({@code acks=all}) before it returns, and is in this replica's map at once.
 */
public class KafkaSilenceStore implements SilenceStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSilenceStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final Map<String, Silence> silences = new ConcurrentHashMap<>();
    private final Producer<String, String> producer;
    private final Consumer<String, String> consumer;
    private final TopicPartition partition;
    private final Thread follower;
    private volatile boolean running = true;

    public KafkaSilenceStore(Producer<String, String> producer, Consumer<String, String> consumer, String topic) {
        this.producer = producer;
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        catchUp();
        follower = new Thread(this::follow, "silences-follower");
        follower.setDaemon(true);
        follower.start();
    }

    /** Everything already in the topic, before the first alert is checked against it. */
    private void catchUp() {
        long end = consumer.endOffsets(List.of(partition), CATCH_UP).getOrDefault(partition, 0L);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (consumer.position(partition, CATCH_UP) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read the silences topic " + partition.topic() + " to its end");
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
            LOG.warn("Stopped following the silences topic {}: {}", partition.topic(), e.toString());
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null || record.value().isEmpty()) {
            silences.remove(record.key());
            return;
        }
        try {
            silences.put(record.key(), JSON.readValue(record.value(), Silence.class));
        } catch (IOException e) {
            LOG.warn("A silence in {} that cannot be read was skipped (key {}): {}", partition.topic(), record.key(), e.getMessage());
        }
    }

    @Override
    public Collection<Silence> all() {
        return List.copyOf(silences.values());
    }

    @Override
    public void save(Silence silence) throws IOException {
        send(silence.id(), JSON.writeValueAsString(silence));
        silences.put(silence.id(), silence);
    }

    @Override
    public boolean remove(String id) throws IOException {
        if (id == null || !silences.containsKey(id)) {
            return false;
        }
        send(id, null);
        silences.remove(id);
        return true;
    }

    private void send(String key, String value) throws IOException {
        try {
            producer.send(new ProducerRecord<>(partition.topic(), 0, key, value)).get(ClusterKafka.DELIVERY_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while saving a silence", e);
        } catch (Exception e) {
            throw new IOException("Kafka did not take the silence: " + ClusterKafka.unavailableReason(e), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        producer.close(Duration.ofSeconds(2));
    }
}
