package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.silences.Silence;
import io.github.sentrydingtalk.silences.SilenceStore;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ad-hoc silences shared by every replica: the compacted topic {@code <prefix>.silences}, key = the
 * silence's id, value = its JSON, a tombstone once it is deleted. Each replica has read the topic before
 * it accepts alerts, and follows it; {@link #all} (asked for every alert) only reads its map. A save or
 * delete is acknowledged by Kafka before it returns, and is in this replica's map at once.
 */
public class KafkaSilenceStore implements SilenceStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSilenceStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Silence> silences = new ConcurrentHashMap<>();
    private final CompactedTopic topic;

    public KafkaSilenceStore(Producer<String, byte[]> producer, Consumer<String, byte[]> consumer, String topicName) {
        this.topic = new CompactedTopic(producer, consumer, topicName, this::apply);
    }

    private void apply(String id, byte[] json) {
        if (json == null) {
            silences.remove(id);
            return;
        }
        try {
            silences.put(id, JSON.readValue(json, Silence.class));
        } catch (IOException e) {
            LOG.warn("A silence in {} that cannot be read was skipped (id {}): {}", topic == null ? "" : topic.name(), id, e.getMessage());
        }
    }

    @Override
    public Collection<Silence> all() {
        return List.copyOf(silences.values());
    }

    @Override
    public void save(Silence silence) throws IOException {
        topic.write(silence.id(), JSON.writeValueAsBytes(silence), "the silence");
        silences.put(silence.id(), silence);
    }

    @Override
    public boolean remove(String id) throws IOException {
        if (id == null || !silences.containsKey(id)) {
            return false;
        }
        topic.write(id, null, "the silence's removal");
        silences.remove(id);
        return true;
    }

    @Override
    public void close() {
        topic.close();
    }
}
