package io.github.sentrydingtalk.silences;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One silence as given (ad-hoc through POST /admin/silences, or configured as notify.silences[N].*), checked
 * and with its times made absolute: {@code start} and {@code end} are ISO-8601 instants (end is start +
 * duration when only a duration was given). A recurring one has a {@code schedule} (5-field cron) in
 * {@code timeZone}, each window lasting {@code duration}; start and end then bound the recurrence.
 *
 * @param origin "api" (ad-hoc, kept in the store) or "configured" (from the properties)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Silence(String id, String robot, String project, String environment, String level, String kind,
                      String tag, String text, String start, String end, String duration, String schedule,
                      String timeZone, String comment, String createdBy, String origin) {

    /** The matchers: at least one must be given. */
    static final List<String> MATCHERS = List.of("robot", "project", "environment", "level", "kind", "tag", "text");
    /** Every field a request or a property may name, in the JSON names. */
    static final List<String> FIELDS = List.of("robot", "project", "environment", "level", "kind", "tag", "text",
            "start", "end", "duration", "schedule", "timeZone", "comment", "createdBy");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    /**
     * A silence from these fields (names as in {@link #FIELDS}, values strings), or {@link InvalidSilenceException}
     * naming the field at fault.
     *
     * @param now          when it is made: the start when none is given
     * @param defaultZone  the time zone when none is given
     * @param endRequired  an ad-hoc silence must end (an end, a duration, or a recurring window);
     *                     a configured one may last as long as its configuration
     */
    public static Silence of(String id, String origin, Map<String, ?> fields, Instant now, ZoneId defaultZone,
                             boolean endRequired) {
        Map<String, String> f = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSilenceException(PLAIN_NAME.matcher(name).matches() ? name : "a field",
                        "unknown field; known: " + String.join(", ", FIELDS));
            }
            if (value instanceof Map || value instanceof Iterable) {
                throw new InvalidSilenceException(name, "must be a string");
            }
            if (value != null && !value.toString().isBlank()) {
                f.put(name, value.toString().strip());
            }
        });
        if (MATCHERS.stream().noneMatch(f::containsKey)) {
            throw new InvalidSilenceException("matchers", "give at least one of " + String.join(", ", MATCHERS));
        }
        ZoneId zone = Times.zone(f.get("timeZone"), defaultZone);
        Instant start = f.containsKey("start") ? Times.instant("start", f.get("start"), zone) : endRequired ? now : null;
        Instant end = f.containsKey("end") ? Times.instant("end", f.get("end"), zone) : null;
        Duration duration = f.containsKey("duration") ? Times.duration(f.get("duration")) : null;
        String schedule = f.get("schedule");
        if (schedule != null && duration == null) {
            throw new InvalidSilenceException("duration", "a recurring window (schedule) needs its length");
        }
        if (schedule == null && duration != null) {
            if (end != null) {
                throw new InvalidSilenceException("duration", "give end or duration, not both");
            }
            end = (start == null ? now : start).plus(duration);
        }
        if (endRequired && schedule == null && end == null) {
            throw new InvalidSilenceException("end", "give end or duration (or a recurring window: schedule and duration)");
        }
        if (start != null && end != null && !end.isAfter(start)) {
            throw new InvalidSilenceException("end", "must be after start");
        }
        Silence silence = new Silence(id, f.get("robot"), f.get("project"), f.get("environment"),
                f.get("level"), f.get("kind"), f.get("tag"), f.get("text"), start == null ? null : start.toString(),
                end == null ? null : end.toString(), duration == null ? null : duration.toString(), schedule,
                schedule == null ? null : zone.getId(), f.get("comment"), f.get("createdBy"), origin);
        SilenceMatcher.of(silence); // checks level, tag and schedule
        return silence;
    }
}
