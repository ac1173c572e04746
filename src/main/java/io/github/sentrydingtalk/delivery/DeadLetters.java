package io.github.sentrydingtalk.delivery;

import java.io.IOException;
import java.util.List;

/**
 * Where dead letters are kept: {@link FileDeadLetters} under the data directory (one process), or a
 * store every replica shares (cluster.KafkaDeadLetters), so any replica can replay them and none is lost
 * with a replica's disk.
 */
public interface DeadLetters extends AutoCloseable {

    /** One letter: its name (unique, oldest first when sorted) and its JSON. */
    record Letter(String name, byte[] json) {
    }

    /** Keeps the letter: durable when this returns. */
    void save(String name, byte[] json) throws IOException;

    /** Every letter, oldest first. */
    List<Letter> all() throws IOException;

    /** Forgets a replayed letter, durably. */
    void remove(String name) throws IOException;

    /** Where the letters are, for a log line: a folder, or a Kafka topic. */
    String where();

    /** A letter that cannot be read: set aside (files) or left where it is, with one WARN. */
    void setAside(String name);

    /** Lets go of what the store holds open (a Kafka store's clients). */
    @Override
    void close();
}
