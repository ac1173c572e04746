package io.github.sentrydingtalk.silences;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.sentrydingtalk.common.Glob;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * A {@link Silence} ready to test alerts with: which alerts it mutes (every given matcher must match; an
 * alert lacking the field a matcher tests does not match it) and when it is active.
 */
final class SilenceMatcher {

    private final Silence silence;
    private final int maxSeverity;
    // the tag glob's two halves (* any characters, as in the silence's other globs)
    private final String tagKey;
    private final String tagValue;
    private final String text;
    private final Instant start;
    private final Instant end;
    private final Cron schedule;
    private final Duration window;
    private final ZoneId zone;

    private SilenceMatcher(Silence s) {
        silence = s;
        maxSeverity = s.level() == null ? Integer.MAX_VALUE : severity(s.level());
        if (s.tag() != null) {
            int colon = s.tag().indexOf(':');
            if (colon <= 0) {
                throw new InvalidSilenceException("tag", "must be key:value, with * as a wildcard in either");
            }
            tagKey = s.tag().substring(0, colon);
            tagValue = s.tag().substring(colon + 1);
        } else {
            tagKey = null;
            tagValue = null;
        }
        text = s.text() == null ? null : s.text().toLowerCase(Locale.ROOT);
        start = s.start() == null ? null : Instant.parse(s.start());
        end = s.end() == null ? null : Instant.parse(s.end());
        zone = s.timeZone() == null ? null : ZoneId.of(s.timeZone());
        window = s.duration() == null ? null : Duration.parse(s.duration());
        try {
            schedule = s.schedule() == null ? null : Cron.parse(s.schedule());
        } catch (IllegalArgumentException e) {
            throw new InvalidSilenceException("schedule", "not a cron expression: " + e.getMessage());
        }
    }

    static SilenceMatcher of(Silence silence) {
        return new SilenceMatcher(silence);
    }

    Silence silence() {
        return silence;
    }

    /** Whether this silence mutes this alert for this robot (at any time: see {@link #activeUntil}). */
    boolean matches(String robot, SentryAlert alert) {
        return (silence.robot() == null || silence.robot().equals(robot))
                && matches(silence.project(), alert.projectSlug())
                && matches(silence.environment(), alert.environment())
                && (maxSeverity == Integer.MAX_VALUE || alert.severity() >= 0 && alert.severity() <= maxSeverity)
                && matchesEvent(silence.kind(), alert.action() == null ? alert.kind() : alert.kind() + "." + alert.action())
                && (tagKey == null || hasTag(alert.tags()))
                && (text == null || alert.title() != null && alert.title().toLowerCase(Locale.ROOT).contains(text));
    }

    /** When the silence (or its current window) ends, if it is active at {@code now}; else empty. */
    Optional<Instant> activeUntil(Instant now) {
        if (start != null && now.isBefore(start) || end != null && !now.isBefore(end)) {
            return Optional.empty();
        }
        if (schedule == null) {
            return Optional.of(end == null ? Instant.MAX : end);
        }
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        // a window that opened up to its length ago (one day more: a DST change moves local time by an hour)
        LocalDateTime earliest = LocalDateTime.ofInstant(now.minus(window), zone).minusDays(1);
        for (LocalDateTime at = local; ; at = at.minusMinutes(1)) {
            Optional<LocalDateTime> fired = schedule.latestBetween(earliest, at);
            if (fired.isEmpty()) {
                return Optional.empty();
            }
            Instant opened = fired.get().atZone(zone).toInstant();
            if (opened.plus(window).isAfter(now) && !opened.isAfter(now)) {
                Instant closes = opened.plus(window);
                return Optional.of(end != null && end.isBefore(closes) ? end : closes);
            }
            if (!opened.isAfter(now)) {
                return Optional.empty(); // the latest window before now is over: earlier ones closed earlier
            }
            at = fired.get(); // a DST gap moved this one after now: look before it
        }
    }

    private boolean hasTag(Map<String, String> tags) {
        return tags != null && tags.entrySet().stream().anyMatch(t -> t.getKey() != null && t.getValue() != null
                && Glob.matches(tagKey, t.getKey()) && Glob.matches(tagValue, t.getValue()));
    }

    private static boolean matches(String glob, String value) {
        return glob == null || value != null && Glob.matches(glob, value);
    }

    private static boolean matchesEvent(String glob, String kindAndAction) {
        return glob == null || kindAndAction != null && Glob.matchesEvent(glob, kindAndAction);
    }

    private static int severity(String level) {
        int severity = Robot.LEVELS.indexOf(level.toLowerCase(Locale.ROOT));
        if (severity < 0) {
            throw new InvalidSilenceException("level", "must be one of " + String.join(", ", Robot.LEVELS)
                    + " (the silence mutes that level and those below it)");
        }
        return severity;
    }
}
