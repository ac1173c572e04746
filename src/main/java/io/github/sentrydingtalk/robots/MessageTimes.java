package io.github.sentrydingtalk.robots;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times in messages, as people in the team's zone read them: {@code yyyy-MM-dd HH:mm:ss} in
 * {@code notify.time-zone}. Sentry writes ISO-8601 in UTC ({@code 2019-08-19T20:58:37.391000Z}, some
 * fields without the {@code Z}); a value that is no such time is shown as it came.
 */
public final class MessageTimes {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private MessageTimes() {
    }

    /** {@code notify.time-zone}: a zone id such as {@code Asia/Shanghai} or {@code UTC}; empty: the JVM's. */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            // without the cause: its message adds nothing, and the start's one line should be this one
            throw new IllegalArgumentException("notify.time-zone must be a zone id such as Asia/Shanghai or UTC, not '"
                    + timeZone + "'");
        }
    }

    /** The time in {@code zone}, or the value unchanged when it is not an ISO-8601 time; null stays null. */
    public static String format(String iso, ZoneId zone) {
        if (iso == null || iso.isBlank()) {
            return iso;
        }
        Instant instant = parse(iso.strip());
        return instant == null ? iso : SHOWN.format(instant.atZone(zone));
    }

    private static Instant parse(String iso) {
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notATime) {
                return null;
            }
        }
    }
}
