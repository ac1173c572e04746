package io.github.sentrydingtalk.queue;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;

/** Camel's durations (500ms, 60s, 10m, 24h, 7d, 1m30s; a plain number is milliseconds) plus ISO-8601 (PT1M). */
public final class Durations {

    static final String FORM = "a duration like 500ms, 60s, 10m, 24h, 7d or PT1M";
    // TimeUtils reads what it can and drops the rest ("forever" is 0, "1x" is 0): hand it only what it reads whole.
    private static final Pattern CAMEL_FORM =
            Pattern.compile("\\d{1,15}|(?=\\d)(\\d{1,9}d)?(\\d{1,9}h)?(\\d{1,9}m)?(\\d{1,9}s)?(\\d{1,9}ms)?");

    private Durations() {
    }

    public static Duration parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT)); // TimeUtils does not read ISO-8601; Spring does
        }
        if (v.isEmpty() || !CAMEL_FORM.matcher(v).matches()) {
            throw new IllegalArgumentException("not a duration: '" + value + "'");
        }
        return TimeUtils.toDuration(v);
    }

    /** The setting's duration, at least zero; else one line naming the setting and the accepted form. */
    public static Duration parseAtLeastZero(String property, String value) {
        return parseNamed(property, value, "", false);
    }

    /** The setting's duration, longer than zero; else one line naming the setting and the accepted form. */
    public static Duration parsePositive(String property, String value) {
        return parseNamed(property, value, " longer than 0", true);
    }

    private static Duration parseNamed(String property, String value, String bound, boolean positive) {
        Duration d;
        try {
            d = parse(value);
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            d = null;
        }
        if (d == null || d.isNegative() || (positive && d.isZero())) {
            throw new IllegalArgumentException(property + " must be " + FORM + bound + ", got '" + value + "'");
        }
        return d;
    }
}
