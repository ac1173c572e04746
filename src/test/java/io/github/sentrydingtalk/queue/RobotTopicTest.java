package io.github.sentrydingtalk.queue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One robot's topic on Kafka's MockConsumer: what is taken, what is committed when, what a new owner restores. */
class RobotTopicTest {

    private static final Robot OPS = new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false);
    private static final String TOPIC = "sentry-dingtalk.robot.ops";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kafka's test consumer, made to refuse the next commit or the next look-up of the committed offset. */
    static final class FlakyConsumer extends MockConsumer<String, String> {
        boolean refuseCommit;
        boolean refuseCommitted;

        FlakyConsumer() {
            super(OffsetResetStrategy.EARLIEST);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (refuseCommit) {
                refuseCommit = false;
                throw new org.apache.kafka.common.errors.RebalanceInProgressException("rebalancing");
            }
            super.commitSync(offsets);
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(java.util.Set<TopicPartition> partitions) {
            if (refuseCommitted) {
                refuseCommitted = false;
                throw new org.apache.kafka.common.errors.TimeoutException("no answer");
            }
            return super.committed(partitions);
        }
    }

    private final FlakyConsumer consumer = new FlakyConsumer();
    private final RateLimits rateLimits = new RateLimits();
    private final RobotTopic topic = new RobotTopic(OPS, TOPIC, consumer, rateLimits, DigestFolding.MAX_BYTES);

    @BeforeEach
    void joinTheGroup() {
        topic.fetch(); // subscribes
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 0L));
        assign();
    }

    private void assign() {
        consumer.rebalance(List.of(PARTITION));
        topic.onPartitionsAssigned(List.of(PARTITION));
    }

    private void add(long offset, String level, String title) throws Exception {
        String json = JSON.writeValueAsString(SentryAlert.builder().id("a" + offset).level(level).title(title).build());
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "a" + offset, json));
    }

    private OffsetAndMetadata committed() {
        return consumer.committed(java.util.Set.of(PARTITION)).get(PARTITION);
    }

    @Test
    void aMessageIsCommittedOnlyOnceDeliveredWithTheAttemptsOfTheWindow() throws Exception {
        add(0, "error", "first");
        add(1, "error", "second");
        topic.fetch();
        assertThat(topic.isOwned()).isTrue();

        Delivery first = topic.nextMessage(5);
        assertThat(first.isDigest()).isFalse();
        assertThat(first.getAlert().title()).isEqualTo("first");
        rateLimits.takeSlot(OPS);
        assertThat(committed()).as("nothing committed while it is being sent").isNull();
        assertThat(topic.nextMessage(5).getAlert().title()).as("not delivered: taken again, in order").isEqualTo("first");

        topic.commit(first);
        assertThat(committed().offset()).isEqualTo(1);
        assertThat(RobotTopic.attempts(committed().metadata())).isEqualTo(rateLimits.attemptsInWindow(OPS)).hasSize(1);
        assertThat(topic.nextMessage(5).getAlert().title()).isEqualTo("second");
    }

    @Test
    void withOneSlotLeftTheOldestWaitingAreFoldedIntoOneDigestMostSevereFirst() throws Exception {
        add(0, "info", "a");
        add(1, "fatal", "b");
        add(2, "warning", "c");
        topic.fetch();

        Delivery digest = topic.nextMessage(1);
        assertThat(digest.isDigest()).isTrue();
        assertThat(digest.getAlerts().stream().map(SentryAlert::title)).containsExactly("b", "c", "a");
        topic.commit(digest);
        assertThat(committed().offset()).isEqualTo(3);
        assertThat(topic.nextMessage(1)).isNull();
        assertThat(topic.nextMessage(0)).isNull();
    }

    @Test
    void aRecordThatIsNotAnAlertIsSkippedAndCommitted() throws Exception {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "x", "not json"));
        add(1, "error", "real");
        topic.fetch();

        assertThat(topic.nextMessage(5).getAlert().title()).isEqualTo("real");
        assertThat(committed().offset()).isEqualTo(1);
    }

    @Test
    void aNewOwnerStartsAtTheCommitAndRestoresTheOldOwnersAttempts() throws Exception {
        long now = System.currentTimeMillis();
        consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(1, now - 2_000 + "," + (now - 1_000))));
        topic.onPartitionsRevoked(List.of(PARTITION));
        assertThat(topic.isOwned()).isFalse();
        assertThat(topic.nextMessage(5)).isNull();

        assign(); // (the mock forgets its records on a rebalance: they are added after it)
        add(0, "error", "delivered by the old owner");
        add(1, "error", "next");
        topic.fetch();
        assertThat(rateLimits.attemptsInWindow(OPS)).containsExactly(now - 2_000, now - 1_000);
        assertThat(rateLimits.room(OPS)).isEqualTo(18);
        assertThat(topic.nextMessage(5).getAlert().title()).isEqualTo("next");
    }

    @Test
    void aFullBufferStopsFetchingButKeepsPolling() throws Exception {
        for (int i = 0; i < RobotTopic.BUFFER; i++) {
            add(i, "error", "t" + i);
        }
        topic.fetch();
        topic.fetch();
        assertThat(consumer.paused()).containsExactly(PARTITION);
        topic.commit(topic.nextMessage(5));
        topic.fetch();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void theNewestAttemptsAreKeptWhenTheyDoNotAllFitInTheMetadata() {
        List<Long> many = java.util.stream.LongStream.range(1_700_000_000_000L, 1_700_000_000_400L).boxed().toList();
        String metadata = RobotTopic.metadata(many);
        assertThat(metadata.length()).isLessThanOrEqualTo(RobotTopic.MAX_METADATA);
        List<Long> kept = RobotTopic.attempts(metadata);
        assertThat(kept).isEqualTo(many.subList(many.size() - kept.size(), many.size()));
        assertThat(RobotTopic.attempts("not ours")).isEmpty();
        assertThat(RobotTopic.attempts(null)).isEmpty();
    }

    @Test
    void aCommitThatFailedIsMadeGoodBeforeTheRobotIsHandedOver() throws Exception {
        add(0, "error", "first");
        topic.fetch();
        Delivery first = topic.nextMessage(5);
        consumer.refuseCommit = true;
        topic.commit(first);
        assertThat(committed()).isNull();

        topic.onPartitionsRevoked(List.of(PARTITION));
        assertThat(committed().offset()).as("the next owner does not send it again").isEqualTo(1);
    }

    @Test
    void anOwnerThatCannotReadWhereTheRobotWasLeftSendsNothingUntilItCan() throws Exception {
        consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(1, "")));
        topic.onPartitionsRevoked(List.of(PARTITION));
        consumer.refuseCommitted = true;
        assign();
        add(0, "error", "delivered by the old owner");
        add(1, "error", "next");
        assertThat(topic.isOwned()).isFalse();
        topic.fetch();
        assertThat(topic.isOwned()).as("asked again on the next poll").isTrue();
        topic.fetch();
        assertThat(topic.nextMessage(5).getAlert().title()).isEqualTo("next");
    }
}
