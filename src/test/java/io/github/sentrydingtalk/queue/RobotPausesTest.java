package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RobotPausesTest {

    private static final Robot OPS = new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false);
    private static final Robot TEAM = new Robot("team", "team-token", null, null, List.of(), List.of(), false, false);
    private static final Instant NOW = Instant.parse("2024-01-02T00:00:00Z");

    private final RobotPauses pauses = new RobotPauses();

    private static Delivery delivery(Robot robot, String acceptedAt) {
        SentryAlert alert = SentryAlert.builder().id("1").title("t").acceptedAt(acceptedAt).build();
        return new Delivery(robot, List.of(Path.of("1.json")), List.of(alert), false);
    }

    private void at(Instant instant) {
        pauses.setClock(Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aDeadLetterThatCannotBeWrittenPausesOnlyThatRobotForTheOutagePause() {
        pauses.setOutagePause("1h");
        at(NOW);
        pauses.pauseDeadLetterNotWritten(delivery(OPS, "2024-01-01T00:00:00Z"), new java.io.IOException("No space left on device"));

        assertThat(pauses.isPaused(OPS)).isTrue();
        assertThat(pauses.isPaused(TEAM)).as("ops paused, team goes on").isFalse();
        at(NOW.plus(Duration.ofHours(1)));
        assertThat(pauses.isPaused(OPS)).isFalse();
    }

    @Test
    void rateLimitedRestsForThePauseAndALongerPauseIsNeverShortened() {
        pauses.setPause("10m");
        pauses.setOutagePause("30s");
        at(NOW);
        pauses.pauseRateLimited(delivery(OPS, null));
        pauses.pauseForOutage(delivery(OPS, null));
        at(NOW.plus(Duration.ofMinutes(9)));
        assertThat(pauses.isPaused(OPS)).isTrue();
        at(NOW.plus(Duration.ofMinutes(10)));
        assertThat(pauses.isPaused(OPS)).isFalse();
    }

    @Test
    void onlyAnAlertOlderThanGiveUpAfterIsDeadLetteredAfterAnOutage() {
        pauses.setGiveUpAfter("24h");
        at(NOW);
        assertThat(pauses.isPastGiveUp(delivery(OPS, "2024-01-01T00:00:01Z"))).isFalse();
        assertThat(pauses.isPastGiveUp(delivery(OPS, "2024-01-01T00:00:00Z"))).isTrue();
        assertThat(pauses.isPastGiveUp(null)).as("no delivery: nothing to keep").isTrue();
        assertThat(pauses.isPaused(OPS)).as("asking pauses nothing").isFalse();
    }
}
