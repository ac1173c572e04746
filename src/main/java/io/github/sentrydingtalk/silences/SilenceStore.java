package io.github.sentrydingtalk.silences;

import java.io.IOException;
import java.util.Collection;

/**
 * Where ad-hoc silences are kept. {@link FileSilenceStore} keeps them under the data directory for one
 * instance; a clustered service needs one that every instance shares (a compacted Kafka topic, say: saved
 * and removed by key, each instance reading the topic into its own map), which fits behind this interface.
 */
public interface SilenceStore extends AutoCloseable {

    /** Every ad-hoc silence, as this instance knows it now; called for every alert, so it must be cheap. */
    Collection<Silence> all();

    /** Keeps this silence: durable when this returns. */
    void save(Silence silence) throws IOException;

    /** Forgets the silence with this id, durably; false when there was none. */
    boolean remove(String id) throws IOException;

    /** Lets go of what the store holds open (a Kafka store's clients). */
    @Override
    void close();
}
