package io.github.sentrydingtalk.silences;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import io.github.sentrydingtalk.queue.Durations;

/** A silence's times read from text; a wrong one is an {@link InvalidSilenceException} naming the field. */
final class Times {

    private Times() {
    }

    static ZoneId zone(String name, ZoneId defaultZone) {
        if (name == null) {
            return defaultZone;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new InvalidSilenceException("timeZone", "not a time zone; use a region like Asia/Shanghai or an offset like +08:00");
        }
    }

    /** 2026-01-31T07:00:00Z, 2026-01-31T07:00+08:00, or 2026-01-31T07:00 in the silence's time zone. */
    static Instant instant(String field, String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException notWithOffset) {
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeException e) {
                throw new InvalidSilenceException(field, "not a date-time; use ISO-8601 like 2026-01-31T07:00:00Z or 2026-01-31T07:00+08:00");
            }
        }
    }

    static Duration duration(String text) {
        try {
            Duration d = Durations.parse(text);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            // reported below
        }
        throw new InvalidSilenceException("duration", "not a duration longer than 0; use one like 30m, 7h, 2d or PT7H");
    }
}
