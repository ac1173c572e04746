package io.github.sentrydingtalk.queue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.github.sentrydingtalk.robots.Robot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sliding window, on a clock the test moves: every attempt counts, and a full window waits for a slot. */
class RateLimitsTest {

    private static final Robot OPS = new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false);
    private static final Robot TEAM = new Robot("team", "team-token", null, null, List.of(), List.of(), false, false);

    private long now = 1_000_000;
    private final List<Long> waits = new ArrayList<>();
    private final RateLimits limits = new RateLimits();

    @BeforeEach
    void threePerTenSeconds() {
        limits.setMaxMessages(3);
        limits.setWindow("10s");
        // "sleeping" moves the clock: no real time passes in this test
        limits.setClock(new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now);
            }
        }, millis -> {
            waits.add(millis);
            now += millis;
        });
    }

    @Test
    void everyAttemptTakesASlotAndNoRobotSharesAnother() throws Exception {
        assertThat(limits.room(OPS)).isEqualTo(3);
        limits.takeSlot(OPS);
        limits.takeSlot(OPS); // a retry of the same message counts as much as a new one
        assertThat(limits.room(OPS)).isEqualTo(1);
        assertThat(limits.room(TEAM)).isEqualTo(3);
        limits.takeSlot(OPS);
        assertThat(limits.room(OPS)).as("three attempts in the window: no budget left").isZero();
        assertThat(waits).isEmpty();
    }

    @Test
    void anAttemptCountsForTheWindowPlusHalfASecondOfMargin() throws Exception {
        limits.takeSlot(OPS);
        now += 10_000;
        assertThat(limits.room(OPS)).isEqualTo(2);
        now += RateLimits.CLOCK_MARGIN_MILLIS;
        assertThat(limits.room(OPS)).isEqualTo(3);
    }

    @Test
    void aFullWindowWaitsOnTheCallingThreadUntilTheOldestAttemptLeavesIt() throws Exception {
        limits.takeSlot(OPS);
        now += 4_000;
        limits.takeSlot(OPS);
        limits.takeSlot(OPS);

        limits.takeSlot(OPS); // a retry with the window full

        assertThat(waits).as("waited until the first attempt (4 s ago) left the window").containsExactly(6_500L);
        assertThat(limits.room(OPS)).isZero();
    }

    @Test
    void everyAttemptIsLoggedBeforeItGoesOutWithTheWindowSoFar() throws Exception {
        List<List<Long>> logged = new ArrayList<>();
        limits.setAttemptLog((robot, attempts) -> logged.add(attempts));
        limits.takeSlot(OPS);
        now += 1_000;
        limits.takeSlot(OPS);
        assertThat(logged).containsExactly(List.of(1_000_000L), List.of(1_000_000L, 1_001_000L));
    }

    @Test
    void attemptsRestoredFromAnotherReplicaCountOnceAndExpireLikeOurOwn() throws Exception {
        limits.takeSlot(OPS);
        limits.restore(OPS, List.of(now - 20_000, now - 2_000, now)); // one long expired, one known already
        assertThat(limits.attemptsInWindow(OPS)).containsExactly(now - 2_000, now);
        assertThat(limits.room(OPS)).isEqualTo(1);
        assertThat(limits.room(TEAM)).isEqualTo(3);
        now += 8_500;
        assertThat(limits.room(OPS)).isEqualTo(2);
    }

    @Test
    void anAttemptCountsFromItsAnswerSoASlowSendDoesNotFreeItsSlotBeforeDingTalkDoes() throws Exception {
        limits.takeSlot(OPS);
        now += 3_000; // a cold first send: DingTalk saw it late
        limits.attemptEnded(OPS);
        assertThat(limits.attemptsInWindow(OPS)).containsExactly(1_003_000L);
        now += 10_000;
        assertThat(limits.room(OPS)).as("10 s after the answer, not after the start").isEqualTo(2);
        now += RateLimits.CLOCK_MARGIN_MILLIS;
        assertThat(limits.room(OPS)).isEqualTo(3);
    }
}
