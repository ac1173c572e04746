package io.github.sentrydingtalk.silences;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.github.sentrydingtalk.sentry.SentryAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SilenceMatcherTest {

    static final SentryAlert ALERT = SentryAlert.builder().kind("issue").action("created").projectSlug("pay-service")
            .environment("production").level("warning").title("ReferenceError: Heck is not defined")
            .tags(Map.of("team", "payments", "browser", "Chrome 120")).build();

    private static SilenceMatcher matcher(String pairs) {
        return SilenceMatcher.of(Silence.of("s1", "api", SilenceTest.fields(pairs), SilenceTest.NOW, ZoneId.of("UTC"), false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "robot=ops | true",
            "robot=dev | false",
            "project=pay-* | true",
            "project=pay | false",
            "environment=prod* | true",
            "environment=staging | false",
            "level=warning | true",
            "level=error | true",
            "level=info | false",
            "kind=issue | true",
            "kind=issue.created | true",
            "kind=issue.resolved | false",
            "kind=iss | false",
            "kind=*.created | true",
            "tag=team:payments | true",
            "tag=browser:Chrome* | true",
            "tag=team:pay | false",
            "tag=t*:pay* | true",
            "text=heck IS | true",
            "text=blooopy | false",
            "robot=ops;project=pay-*;level=error;tag=team:payments | true",
            "robot=ops;project=pay-*;level=info | false",
    })
    void everyGivenMatcherMustMatch(String pairs, boolean expected) {
        assertThat(matcher(pairs).matches("ops", ALERT)).isEqualTo(expected);
    }

    @Test
    void anAlertLackingTheFieldDoesNotMatch() {
        SentryAlert bare = SentryAlert.builder().kind("legacy").title("t").build();
        assertThat(matcher("level=fatal").matches("ops", bare)).isFalse();
        assertThat(matcher("tag=team:*").matches("ops", bare)).isFalse();
        assertThat(matcher("project=*").matches("ops", bare)).isFalse();
        assertThat(matcher("kind=legacy").matches("ops", bare)).isTrue();
    }

    @Test
    void aSilenceIsActiveFromItsStartUntilItsEnd() {
        SilenceMatcher m = matcher("project=a;start=2026-11-25T10:00:00Z;end=2026-11-25T12:00:00Z");
        assertThat(m.activeUntil(Instant.parse("2026-11-25T09:59:59Z"))).isEmpty();
        assertThat(m.activeUntil(Instant.parse("2026-11-25T10:00:00Z"))).contains(Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(m.activeUntil(Instant.parse("2026-11-25T12:00:00Z"))).isEmpty();
        assertThat(matcher("project=a").activeUntil(Instant.parse("2030-01-01T00:00:00Z"))).contains(Instant.MAX);
    }

    @Test
    void aNightlyWindowInItsTimeZone() {
        SilenceMatcher nightly = matcher("project=a;schedule=0 0 * * *;duration=7h;timeZone=Asia/Shanghai");
        assertThat(nightly.activeUntil(Instant.parse("2026-11-24T15:59:00Z"))).as("23:59").isEmpty();
        assertThat(nightly.activeUntil(Instant.parse("2026-11-24T16:00:00Z"))).as("00:00")
                .contains(Instant.parse("2026-11-24T23:00:00Z"));
        assertThat(nightly.activeUntil(Instant.parse("2026-11-24T22:59:59Z"))).as("06:59:59")
                .contains(Instant.parse("2026-11-24T23:00:00Z"));
        assertThat(nightly.activeUntil(Instant.parse("2026-11-24T23:00:00Z"))).as("07:00").isEmpty();
    }

    @Test
    void aWeekendWindowSpansDays() {
        SilenceMatcher weekend = matcher("project=a;schedule=0 0 * * SAT;duration=48h;timeZone=Europe/Berlin");
        assertThat(weekend.activeUntil(Instant.parse("2026-11-27T22:59:00Z"))).as("Friday 23:59").isEmpty();
        Optional<Instant> sunday = weekend.activeUntil(Instant.parse("2026-11-29T21:00:00Z"));
        assertThat(sunday).as("Sunday 22:00").contains(Instant.parse("2026-11-29T23:00:00Z"));
        assertThat(weekend.activeUntil(Instant.parse("2026-11-29T23:00:00Z"))).as("Monday 00:00").isEmpty();
    }

    @Test
    void aWindowOverlappingTheNextStaysOpenUntilTheLatestCloses() {
        SilenceMatcher hourly = matcher("project=a;schedule=0 * * * *;duration=90m;timeZone=UTC");
        assertThat(hourly.activeUntil(Instant.parse("2026-11-25T10:20:00Z"))).contains(Instant.parse("2026-11-25T11:30:00Z"));
    }

    @Test
    void theEndBoundsARecurringWindow() {
        SilenceMatcher m = matcher("project=a;schedule=0 0 * * *;duration=7h;timeZone=UTC;end=2026-11-25T03:00:00Z");
        assertThat(m.activeUntil(Instant.parse("2026-11-25T01:00:00Z"))).contains(Instant.parse("2026-11-25T03:00:00Z"));
        assertThat(m.activeUntil(Instant.parse("2026-11-26T01:00:00Z"))).isEmpty();
    }

    @Test
    void aWindowOpeningInASummerTimeGapOpensAnHourLater() {
        // Berlin, 2026-03-29: 02:00 jumps to 03:00, so a window at 02:30 opens at 03:30 (01:30Z), as java.time shifts it
        SilenceMatcher m = matcher("project=a;schedule=30 2 * * *;duration=1h;timeZone=Europe/Berlin");
        assertThat(m.activeUntil(Instant.parse("2026-03-29T01:29:00Z"))).isEmpty();
        assertThat(m.activeUntil(Instant.parse("2026-03-29T01:30:00Z"))).contains(Instant.parse("2026-03-29T02:30:00Z"));
        assertThat(m.activeUntil(Instant.parse("2026-03-30T00:40:00Z"))).as("the next day, 02:40 CEST")
                .contains(Instant.parse("2026-03-30T01:30:00Z"));
    }
}
