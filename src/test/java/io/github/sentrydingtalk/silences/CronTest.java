package io.github.sentrydingtalk.silences;

import java.time.LocalDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {

    private static LocalDateTime at(String time) {
        return LocalDateTime.parse(time);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 0 * * *       | 2026-11-25T00:00 | true",
            "0 0 * * *       | 2026-11-25T00:01 | false",
            "*/15 9-17 * * MON-FRI | 2026-11-25T09:45 | true",  // a Wednesday
            "*/15 9-17 * * MON-FRI | 2026-11-28T09:45 | false", // a Saturday
            "0 0 * * SAT,SUN | 2026-11-29T00:00 | true",
            "0 0 * * 7       | 2026-11-29T00:00 | true",        // 7 is Sunday too
            "0 0 * * 0       | 2026-11-29T00:00 | true",
            "30 2 1 JAN *    | 2027-01-01T02:30 | true",
            "30 2 1 JAN *    | 2027-02-01T02:30 | false",
            "0-30/10 * * * * | 2026-11-25T05:20 | true",
            "0-30/10 * * * * | 2026-11-25T05:40 | false",
            "5/20 * * * *    | 2026-11-25T05:45 | true",
            "0 12 13 * FRI   | 2026-11-13T12:00 | true",        // the 13th (a Friday too)
            "0 12 13 * FRI   | 2026-11-20T12:00 | true",        // a Friday: either day field matches
            "0 12 13 * FRI   | 2026-11-19T12:00 | false",
            "0 12 13 * *     | 2026-11-20T12:00 | false",
    })
    void matches(String expression, String time, boolean expected) {
        assertThat(Cron.parse(expression).matches(at(time))).isEqualTo(expected);
    }

    @Test
    void theLatestFiringAtOrBeforeATimeAndNotBeforeAnother() {
        Cron nightly = Cron.parse("0 0 * * *");
        assertThat(nightly.latestBetween(at("2026-11-20T00:00"), at("2026-11-25T06:59")))
                .isEqualTo(Optional.of(at("2026-11-25T00:00")));
        assertThat(nightly.latestBetween(at("2026-11-25T00:00"), at("2026-11-25T00:00")))
                .isEqualTo(Optional.of(at("2026-11-25T00:00")));
        assertThat(nightly.latestBetween(at("2026-11-25T00:01"), at("2026-11-25T23:59"))).isEmpty();
        Cron weekends = Cron.parse("0 0 * * SAT");
        assertThat(weekends.latestBetween(at("2026-11-20T00:00"), at("2026-11-30T08:00")))
                .isEqualTo(Optional.of(at("2026-11-28T00:00")));
        Cron twiceAnHour = Cron.parse("10,40 8 * * *");
        assertThat(twiceAnHour.latestBetween(at("2026-11-24T00:00"), at("2026-11-25T08:39")))
                .isEqualTo(Optional.of(at("2026-11-25T08:10")));
        assertThat(twiceAnHour.latestBetween(at("2026-11-24T00:00"), at("2026-11-25T08:09")))
                .isEqualTo(Optional.of(at("2026-11-24T08:40")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 0 * *         | 5 fields expected (minute hour day-of-month month day-of-week), got 4",
            "0 0 0 * * *     | 5 fields expected (minute hour day-of-month month day-of-week), got 6",
            "60 0 * * *      | minute must be 0-59",
            "0 24 * * *      | hour must be 0-23",
            "0 0 0 * *       | day of month must be 1-31",
            "0 0 * 13 *      | month must be 1-12 or a name like FEB",
            "0 0 * * FUNDAY  | day of week must be 0-7 or a name like MON",
            "0 5-1 * * *     | hour: a range must go from low to high",
            "*/0 * * * *     | minute must be 1-59",
            "0 0 * * 1,      | day of week must be 0-7 or a name like MON",
    })
    void refusesWhatItCannotRead(String expression, String message) {
        assertThatThrownBy(() -> Cron.parse(expression)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
