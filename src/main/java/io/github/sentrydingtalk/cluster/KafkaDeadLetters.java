package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import io.github.sentrydingtalk.delivery.DeadLetters;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters shared by every replica: the compacted topic {@code <prefix>.dead-letters}, key = the
 * letter's name, value = its JSON, a tombstone once replayed. A letter written by the replica that owned
 * the robot can be replayed from any replica, and outlives that replica's disk.
 */
public class KafkaDeadLetters implements DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

    /** By name: oldest first. */
    private final Map<String, byte[]> letters = new ConcurrentSkipListMap<>();
    private final CompactedTopic topic;

    public KafkaDeadLetters(Producer<String, byte[]> producer, Consumer<String, byte[]> consumer, String topicName) {
        this.topic = new CompactedTopic(producer, consumer, topicName, (name, json) -> {
            if (json == null) {
                letters.remove(name);
            } else {
                letters.put(name, json);
            }
        });
    }

    @Override
    public String where() {
        return "the Kafka topic " + topic.name();
    }

    @Override
    public void save(String name, byte[] json) throws IOException {
        topic.write(name, json, "the dead letter");
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
        topic.write(name, null, "the replayed dead letter's removal");
        letters.remove(name);
    }

    /** Kept in the topic (another version may read it); one WARN. */
    @Override
    public void setAside(String name) {
        LOG.warn("Dead letter {} in {} cannot be read: skipped", name, topic.name());
    }

    @Override
    public void close() {
        topic.close();
    }
}
