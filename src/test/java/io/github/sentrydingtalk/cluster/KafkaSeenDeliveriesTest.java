package io.github.sentrydingtalk.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log's rules, as every replica applies them in log order (no Kafka here: records are applied as
 * the follower reads them). Times are record timestamps, in milliseconds.
 */
class KafkaSeenDeliveriesTest {

    static final long NOW = System.currentTimeMillis();

    final KafkaSeenDeliveries seen = new KafkaSeenDeliveries(null, "t", Duration.ofHours(24), 3, Duration.ofMillis(600));

    @Test
    void theFirstClaimOfAKeyInTheLogWinsTheOthersAreDuplicates() {
        seen.apply("k", "claim:a", NOW);
        seen.apply("k", "claim:b", NOW + 1);

        assertThat(seen.contains("k")).isTrue();
        assertThat(seen.winner("k")).isEqualTo("a");
    }

    @Test
    void aClaimNeverConfirmedLapsesSoSentrysRetryIsAccepted() {
        long later = NOW + KafkaSeenDeliveries.CLAIM_TIMEOUT.toMillis();
        seen.apply("k", "claim:a", NOW - KafkaSeenDeliveries.CLAIM_TIMEOUT.toMillis() - 1);
        assertThat(seen.contains("k")).as("the replica died while accepting").isFalse();

        seen.apply("k", "claim:b", later);
        assertThat(seen.winner("k")).isEqualTo("b");
    }

    @Test
    void aConfirmedClaimCountsForTheTtl() {
        long dayAgo = NOW - Duration.ofHours(24).toMillis();
        seen.apply("k", "claim:a", dayAgo + 1000);
        seen.apply("k", "confirm", dayAgo + 2000);
        seen.apply("k", "claim:b", NOW - 1000);
        assertThat(seen.winner("k")).as("claimed for 10 s, confirmed for 24 h").isEqualTo("a");

        seen.apply("old", "claim:c", dayAgo - 5000);
        seen.apply("old", "confirm", dayAgo - 4000);
        assertThat(seen.contains("old")).isFalse();
    }

    @Test
    void aForgottenClaimLetsTheNextOneWin() {
        seen.apply("k", "claim:a", NOW);
        seen.apply("k", "forget", NOW + 1);
        assertThat(seen.contains("k")).isFalse();

        seen.apply("k", "claim:b", NOW + 2);
        assertThat(seen.winner("k")).isEqualTo("b");
    }

    @Test
    void atMostMaxEntriesKeysOldestDroppedFirst() {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            seen.apply(key, "claim:" + key, NOW);
            seen.apply(key, "confirm", NOW);
        }
        assertThat(seen.contains("a")).isFalse();
        assertThat(seen.contains("b")).isTrue();
        assertThat(seen.contains("d")).isTrue();
    }

    @Test
    void recordsOfANewerVersionAreIgnored() {
        seen.apply("k", "something-else", NOW);
        assertThat(seen.contains("k")).isFalse();
    }
}
