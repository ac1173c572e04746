package io.github.sentrydingtalk.silences;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A classic 5-field cron expression: minute hour day-of-month month day-of-week, with {@code *}, lists
 * ({@code 1,15}), ranges ({@code 1-5}), steps ({@code *}{@code /15}, {@code 0-30/10}), names ({@code MON-FRI},
 * {@code JAN}) and {@code 7} or {@code 0} for Sunday. As in cron, when both day fields are restricted a day
 * matching either one matches. Ours because Quartz is not on the classpath and Spring's CronExpression
 * would bring a Spring import into a plain class (and it wants 6 fields).
 */
public final class Cron {

    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String[] fields) {
        minutes = field(fields[0], 0, 59, List.of(), "minute");
        hours = field(fields[1], 0, 23, List.of(), "hour");
        daysOfMonth = field(fields[2], 1, 31, List.of(), "day of month");
        months = field(fields[3], 1, 12, MONTHS, "month");
        daysOfWeek = field(fields[4], 0, 7, DAYS, "day of week");
        if (daysOfWeek.get(7)) {
            daysOfWeek.set(0);
        }
        anyDayOfMonth = isAny(fields[2]);
        anyDayOfWeek = isAny(fields[4]);
    }

    /** The expression, or {@link IllegalArgumentException} with a message that does not repeat it. */
    public static Cron parse(String expression) {
        String[] fields = expression == null ? new String[0] : expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    "5 fields expected (minute hour day-of-month month day-of-week), got " + fields.length);
        }
        return new Cron(fields);
    }

    /** Whether the expression fires at this minute (seconds are ignored). */
    public boolean matches(LocalDateTime time) {
        return minutes.get(time.getMinute()) && hours.get(time.getHour()) && matchesDay(time.toLocalDate());
    }

    /** The latest minute this fires at, at or before {@code time} and not before {@code notBefore}. */
    public Optional<LocalDateTime> latestBetween(LocalDateTime notBefore, LocalDateTime time) {
        for (LocalDate day = time.toLocalDate(); !day.isBefore(notBefore.toLocalDate()); day = day.minusDays(1)) {
            if (!matchesDay(day)) {
                continue;
            }
            LocalTime last = day.equals(time.toLocalDate()) ? time.toLocalTime() : LocalTime.MAX;
            for (int hour = hours.previousSetBit(last.getHour()); hour >= 0; hour = hours.previousSetBit(hour - 1)) {
                int fromMinute = hour == last.getHour() ? last.getMinute() : 59;
                int minute = minutes.previousSetBit(fromMinute);
                if (minute >= 0) {
                    LocalDateTime fired = day.atTime(hour, minute);
                    return fired.isBefore(notBefore.withSecond(0).withNano(0)) ? Optional.empty() : Optional.of(fired);
                }
            }
        }
        return Optional.empty();
    }

    private boolean matchesDay(LocalDate day) {
        if (!months.get(day.getMonthValue())) {
            return false;
        }
        boolean dayOfMonth = daysOfMonth.get(day.getDayOfMonth());
        boolean dayOfWeek = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dayOfMonth && dayOfWeek;
        }
        return dayOfMonth || dayOfWeek;
    }

    private static boolean isAny(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet field(String field, int min, int max, List<String> names, String what) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max, List.of(), what);
            }
            int from;
            int to;
            if (isAny(range)) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                from = number(range.substring(0, range.indexOf('-')), min, max, names, what);
                to = number(range.substring(range.indexOf('-') + 1), min, max, names, what);
            } else {
                from = number(range, min, max, names, what);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw new IllegalArgumentException(what + ": a range must go from low to high");
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, List<String> names, String what) {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return named + (min == 1 ? 1 : 0);
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be " + min + "-" + max
                + (names.isEmpty() ? "" : " or a name like " + names.get(1)));
    }
}
