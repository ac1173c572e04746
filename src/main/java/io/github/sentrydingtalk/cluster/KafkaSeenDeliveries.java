package io.github.sentrydingtalk.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.sentrydingtalk.queue.ExpiringFileIdempotentRepository;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Which Sentry deliveries were already accepted, shared by every replica: a log in one single-partition
 * topic ({@code <prefix>.seen-deliveries}) that each replica reads from the start and follows.
 * <p>
 * Camel's KafkaIdempotentRepository decides from a local cache that its consumer fills later, so two
 * replicas that get the same delivery a few milliseconds apart both accept it. Here the log decides:
 * {@link #add} appends a {@code claim} (with an id of its own) and waits until this replica has read it back; the first
 * live claim of a key in the log wins, and every other claim of it is a duplicate. One partition is one
 * order for every replica.
 * <p>
 * Like the on-disk record: a claim that is not confirmed within {@link #CLAIM_TIMEOUT} (the replica died
 * while accepting) no longer counts, so Sentry's retry is accepted; {@link #confirm} makes it count for
 * {@code ttl} from then; {@link #remove} (accepting failed) {@code forget}s it at once. At most
 * {@code maxEntries} keys are kept, oldest dropped first; the topic's retention is the ttl. Record:
 * key = the delivery key as stored on disk (at most 64 characters, or its SHA-256), value =
 * {@code claim:<uuid>}, {@code confirm} or {@code forget}, timestamp = when (the producer's clock).
 * <p>
 * Every Kafka failure is a {@link KafkaException}: the webhook answers 503 and Sentry retries.
 */
public class KafkaSeenDeliveries extends ServiceSupport implements IdempotentRepository {

    /** Longer than any accept takes (its Kafka calls are bounded well below a second). */
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);
    static final String CLAIM = "claim";
    static final String CONFIRM = "confirm";
    static final String FORGET = "forget";

    /** A key's winning claim: which one, and until when it counts. */
    record Entry(String claim, boolean confirmed, long expiresAt) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** This replica's claims on their way through the log: whether each won, once read back. */
    private final Map<String, Boolean> claimsWon = new HashMap<>();
    private final KafkaClients clients;
    private final String topic;
    private final Duration ttl;
    private final int maxEntries;
    private final Duration timeout;
    private Producer<String, String> producer;
    private Consumer<String, String> consumer;
    private Thread follower;
    private volatile boolean following;

    /** How this repository gets its Kafka clients; a test gives its own. */
    interface KafkaClients {
        Producer<String, String> producer();

        Consumer<String, String> consumer();
    }

    public KafkaSeenDeliveries(KafkaClients clients, String topic, Duration ttl, int maxEntries, Duration timeout) {
        this.clients = clients;
        this.topic = topic;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.timeout = timeout;
    }

    /** Reads the whole log (the ttl's worth, by retention) before the first webhook, then follows it. */
    @Override
    protected void doStart() {
        producer = clients.producer();
        consumer = clients.consumer();
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
            readOnce(Duration.ofMillis(200));
        }
        following = true;
        follower = new Thread(this::follow, "seen-deliveries-" + topic);
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        following = false;
        if (follower != null) {
            consumer.wakeup();
            follower.join(5000);
        }
        consumer.close(Duration.ofSeconds(1));
        producer.close(Duration.ofSeconds(1));
    }

    private void follow() {
        while (following) {
            try {
                readOnce(Duration.ofMillis(500));
            } catch (WakeupException e) {
                return;
            } catch (KafkaException e) {
                // Kafka away: the next poll tries again; accepting meanwhile fails on its own timeout
            }
        }
    }

    private void readOnce(Duration wait) {
        var records = consumer.poll(wait);
        synchronized (this) {
            for (ConsumerRecord<String, String> record : records) {
                apply(record.key(), record.value(), record.timestamp());
            }
            notifyAll();
        }
    }

    /** One record of the log, in log order: every replica arrives at the same entries. */
    synchronized void apply(String key, String value, long timestamp) {
        Entry entry = entries.get(key);
        String action = value.contains(":") ? value.substring(0, value.indexOf(':')) : value;
        switch (action) {
            case CLAIM -> {
                String claim = value.substring(CLAIM.length() + 1);
                boolean won = entry == null || entry.expiresAt() <= timestamp;
                if (won) {
                    entries.remove(key);
                    entries.put(key, new Entry(claim, false, timestamp + CLAIM_TIMEOUT.toMillis()));
                }
                claimsWon.replace(claim, won);
            }
            case CONFIRM -> {
                if (entry != null) {
                    entries.remove(key);
                    entries.put(key, new Entry(entry.claim(), true, timestamp + ttl.toMillis()));
                }
            }
            case FORGET -> entries.remove(key);
            default -> {
                // written by a newer version: ignore
            }
        }
        trim(timestamp);
    }

    private void trim(long now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Entry entry = it.next().getValue();
            if (entries.size() > maxEntries || entry.expiresAt() <= now) {
                it.remove();
            } else {
                break; // roughly in order of expiry: the rest are newer
            }
        }
    }

    /** The claim that holds KEY (as stored), or null. */
    synchronized String winner(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.claim();
    }

    private synchronized boolean live(String key) {
        Entry entry = entries.get(key);
        return entry != null && entry.expiresAt() > System.currentTimeMillis();
    }

    /** Claims the key for this delivery; false when another delivery (on any replica) has it. */
    @Override
    public boolean add(String key) {
        String k = ExpiringFileIdempotentRepository.stored(key);
        if (live(k)) {
            return false;
        }
        String claim = UUID.randomUUID().toString();
        synchronized (this) {
            claimsWon.put(claim, null);
        }
        try {
            append(k, CLAIM + ":" + claim);
            return claimWon(claim, System.nanoTime() + 2 * timeout.toNanos());
        } finally {
            synchronized (this) {
                claimsWon.remove(claim);
            }
        }
    }

    /** Waits until this replica has read its claim back from the log. */
    private synchronized boolean claimWon(String claim, long deadline) {
        while (claimsWon.get(claim) == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new KafkaException("the seen deliveries were not read back in time");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while reading the seen deliveries");
            }
        }
        return claimsWon.get(claim);
    }

    @Override
    public boolean contains(String key) {
        return live(ExpiringFileIdempotentRepository.stored(key));
    }

    /** The alert is stored: the claim counts for the ttl. A failed record fails the exchange (no 202). */
    @Override
    public boolean confirm(Exchange exchange, String key) {
        if (!isDuplicate(exchange)) {
            try {
                confirm(key);
            } catch (KafkaException e) {
                exchange.setException(e);
            }
        }
        return true;
    }

    @Override
    public boolean confirm(String key) {
        append(ExpiringFileIdempotentRepository.stored(key), CONFIRM);
        return true;
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return !isDuplicate(exchange) && remove(key);
    }

    /** Accepting failed: forget the claim so Sentry's retry is accepted (if Kafka is away, it lapses). */
    @Override
    public boolean remove(String key) {
        try {
            append(ExpiringFileIdempotentRepository.stored(key), FORGET);
            return true;
        } catch (KafkaException e) {
            return false;
        }
    }

    /** Forgets what this replica has read (tests); the log and the other replicas keep it. */
    @Override
    public synchronized void clear() {
        entries.clear();
    }

    private static boolean isDuplicate(Exchange exchange) {
        return exchange != null && exchange.getProperty(ExchangePropertyKey.DUPLICATE_MESSAGE, false, Boolean.class);
    }

    /** Appends one record, acknowledged by every in-sync replica; its offset. */
    private long append(String key, String action) {
        try {
            return producer.send(new ProducerRecord<>(topic, 0, key, action)).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing the seen deliveries");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaException("the seen deliveries did not take the record within " + timeout.toMillis() + " ms");
        }
    }
}
