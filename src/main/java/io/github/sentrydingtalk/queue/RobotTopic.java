package io.github.sentrydingtalk.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One robot's backlog in clustered mode: its topic's single partition, read by a consumer in the robot's
 * own group, so one replica owns the robot at a time. Used only by the robot's route thread (a Kafka
 * consumer is single-threaded): rebalances therefore happen inside {@link #fetch}, between two messages,
 * never during one. Records wait in a bounded buffer (the digest's look-ahead) until their message is
 * delivered or dead-lettered; only then is the offset committed, so a replica that dies sends nothing
 * twice but the message it was sending.
 * <p>
 * The robot's attempts in its rate-limit window travel with every commit as offset metadata (and are
 * committed again before each attempt, {@link #logAttempts}): a new owner restores them into
 * {@link RateLimits} on assignment and keeps to the budget the old owner already used. Chosen over
 * waiting out one window after each assignment, which would hold back the first alert after every start
 * and every rebalance too. A paused robot keeps calling {@link #fetch} (its partition paused, not its
 * route), so it is never thrown out of its group, however long it rests.
 */
final class RobotTopic implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(RobotTopic.class);
    /** A digest looks at most this far ahead; the partition is paused (no fetching) while this many wait. */
    static final int BUFFER = RobotBacklog.DIGEST_CANDIDATES;
    /** Kafka keeps at most 4096 characters of commit metadata (offset.metadata.max.bytes). */
    static final int MAX_METADATA = 4000;
    private static final Duration WAIT_WHEN_EMPTY = Duration.ofMillis(100);

    /** A record and its alert, null when the record is not an alert. */
    private record Waiting(ConsumerRecord<String, String> record, SentryAlert alert) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Robot robot;
    private final TopicPartition partition;
    private final Consumer<String, String> consumer;
    private final RateLimits rateLimits;
    private final int digestMaxBytes;
    private final Deque<Waiting> buffer = new ArrayDeque<>();
    /** Records (at the head of the buffer) of the message being sent. */
    private int inFlight;
    /** An offset of delivered records whose commit failed: committed again before the robot is handed over. */
    private Long uncommitted;
    private boolean subscribed;
    private volatile boolean owned;
    private volatile long waiting;

    RobotTopic(Robot robot, String topic, Consumer<String, String> consumer, RateLimits rateLimits, int digestMaxBytes) {
        this.robot = robot;
        this.partition = new TopicPartition(topic, 0);
        this.consumer = consumer;
        this.rateLimits = rateLimits;
        this.digestMaxBytes = digestMaxBytes;
    }

    /**
     * Called on every poll of the robot's route, paused or not: joins the group the first time, takes
     * new records while the buffer has room, and proves to the group that this replica is alive (a robot
     * that rested longer than max.poll.interval.ms without polling would be thrown out of its group).
     */
    void fetch() {
        if (!subscribed) {
            consumer.subscribe(List.of(partition.topic()), this);
            subscribed = true;
        }
        if (!owned && consumer.assignment().contains(partition)) {
            takeOver(); // the last try at assignment failed (Kafka did not answer)
        }
        if (consumer.assignment().contains(partition)) {
            if (buffer.size() >= BUFFER) {
                consumer.pause(Set.of(partition));
            } else {
                consumer.resume(Set.of(partition));
            }
        }
        for (ConsumerRecord<String, String> record : consumer.poll(buffer.isEmpty() ? WAIT_WHEN_EMPTY : Duration.ZERO)) {
            if (owned) { // else read again from the committed offset once taken over
                buffer.addLast(new Waiting(record, read(record)));
            }
        }
        waiting = owned ? buffer.size() + consumer.currentLag(partition).orElse(0) : 0;
    }

    /**
     * The next message, or null when nothing waits, the window has no {@code room} or this replica does
     * not own the robot: the oldest alert alone, or a digest of the oldest waiting ones when more wait
     * than the window has room for and one slot is left. It stays first until {@link #commit}.
     */
    Delivery nextMessage(int room) {
        skipUnreadable();
        if (room <= 0 || buffer.isEmpty()) {
            return null;
        }
        List<SentryAlert> alerts = new ArrayList<>();
        for (Waiting w : buffer) {
            if (w.alert() == null || (!alerts.isEmpty() && room > 1)) {
                break;
            }
            alerts.add(w.alert());
        }
        inFlight = alerts.size() > 1 ? DigestFolding.oldestThatFit(alerts, digestMaxBytes) : 1;
        Delivery delivery = inFlight == 1 ? new Delivery(robot, List.of(), List.of(alerts.get(0)), false)
                : new Delivery(robot, List.of(), DigestFolding.mostSevereFirst(alerts.subList(0, inFlight)), true);
        // committed the moment it leaves the backlog, delivered or dead-lettered (Delivery.markRemoved)
        delivery.whenRemoved(() -> commit(delivery));
        return delivery;
    }

    /** The message was delivered or dead-lettered: its records leave the buffer, their offsets are committed. */
    void commit(Delivery delivery) {
        if (inFlight == 0 || inFlight != delivery.getCount()) {
            return; // not the message taken last (ownership moved in between): nothing of ours to commit
        }
        long next = 0;
        for (; inFlight > 0; inFlight--) {
            next = buffer.removeFirst().record().offset() + 1;
        }
        commitOffset(next);
    }

    /** Before an attempt goes out: the attempts in the window, committed with the offset not yet done. */
    void logAttempts() {
        if (owned) {
            commitOffset(buffer.isEmpty() ? consumer.position(partition) : buffer.peekFirst().record().offset());
        }
    }

    boolean isOwned() {
        return owned;
    }

    /** Alerts waiting for this robot (buffered plus consumer lag) on the replica that owns it; 0 elsewhere. */
    long waiting() {
        return waiting;
    }

    void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.contains(partition)) {
            takeOver();
        }
    }

    /**
     * From the last commit, with the old owner's attempts in the window; not owned (nothing sent) until
     * both are known, so a Kafka that does not answer now is asked again on the next poll.
     */
    private void takeOver() {
        buffer.clear();
        inFlight = 0;
        try {
            OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
            if (committed != null) {
                consumer.seek(partition, committed);
                rateLimits.restore(robot, attempts(committed.metadata()));
            } else {
                consumer.seekToBeginning(Set.of(partition));
            }
        } catch (KafkaException e) {
            LOG.warn("Cannot read where robot '{}' was left ({}): trying again on its next poll", robot.name(), e.getMessage());
            return;
        }
        owned = true;
        LOG.info("This replica now delivers robot '{}' ({} attempt(s) in its rate-limit window so far)",
                robot.name(), rateLimits.attemptsInWindow(robot).size());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.contains(partition)) {
            if (uncommitted != null) { // the last chance: the next owner starts from the committed offset
                commitOffset(uncommitted);
            }
            disown("handed over");
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (partitions.contains(partition)) {
            disown("lost (no contact with its group)");
        }
    }

    private void disown(String how) {
        owned = false;
        uncommitted = null;
        waiting = 0;
        buffer.clear();
        inFlight = 0;
        LOG.info("Robot '{}' {}: another replica delivers it now", robot.name(), how);
    }

    /**
     * A failed commit is made good by the next one (offsets are cumulative) or, at the latest, when the
     * robot is handed over. A replica that takes it over after a crash in between starts at the last
     * commit and sends these messages again.
     */
    private void commitOffset(long next) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next, metadata(rateLimits.attemptsInWindow(robot)))));
            uncommitted = null;
        } catch (KafkaException e) {
            uncommitted = uncommitted == null ? Long.valueOf(next) : Long.valueOf(Math.max(uncommitted, next));
            LOG.warn("Cannot commit the backlog of robot '{}' up to offset {} ({}): tried again with the next message or before a handover",
                    robot.name(), next, e.getMessage());
        }
    }

    /** Not an alert (not written by this service): a WARN, its offset committed, never retried. */
    private void skipUnreadable() {
        while (inFlight == 0 && !buffer.isEmpty() && buffer.peekFirst().alert() == null) {
            ConsumerRecord<String, String> record = buffer.removeFirst().record();
            LOG.warn("Skipped record {} of topic {}: not an alert", record.offset(), record.topic());
            commitOffset(record.offset() + 1);
        }
    }

    private SentryAlert read(ConsumerRecord<String, String> record) {
        try {
            return record.value() == null ? null : mapper.readValue(record.value(), SentryAlert.class);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Epoch millis, comma separated, the newest kept when they do not all fit. */
    static String metadata(List<Long> attempts) {
        StringBuilder kept = new StringBuilder();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            String time = attempts.get(i).toString();
            if (kept.length() + time.length() + 1 > MAX_METADATA) {
                break;
            }
            kept.insert(0, kept.isEmpty() ? time : time + ",");
        }
        return kept.toString();
    }

    static List<Long> attempts(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(metadata.split(",")).map(Long::valueOf).toList();
        } catch (NumberFormatException e) {
            return List.of(); // not ours
        }
    }
}
