package io.github.sentrydingtalk.queue;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the duration forms Spring accepts (500ms, 60s, 10m, 24h, 7d, ISO-8601) outside Spring too. */
public final class Durations {

    static final String FORM = "a duration like 500ms, 60s, 10m, 24h, 7d or PT1M";
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        Matcher m = SIMPLE.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "ms" : m.group(2)) { // a plain number is milliseconds, as in Spring
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofMillis(amount);
        };
    }

    /** The setting's duration, at least zero; else one line naming the setting and the accepted form. */
    public static Duration parseAtLeastZero(String property, String value) {
        Duration d = parseNamed(property, value, "");
        if (d.isNegative()) {
            throw new IllegalArgumentException(property + " must be " + FORM + ", got '" + value + "'");
        }
        return d;
    }

    /** The setting's duration, longer than zero; else one line naming the setting and the accepted form. */
    public static Duration parsePositive(String property, String value) {
        Duration d = parseNamed(property, value, " longer than 0");
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(property + " must be " + FORM + " longer than 0, got '" + value + "'");
        }
        return d;
    }

    private static Duration parseNamed(String property, String value, String bound) {
        try {
            return parse(value);
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(property + " must be " + FORM + bound + ", got '" + value + "'");
        }
    }
}
