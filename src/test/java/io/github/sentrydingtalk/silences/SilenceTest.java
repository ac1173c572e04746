package io.github.sentrydingtalk.silences;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SilenceTest {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** name=value pairs separated by ';' */
    static Map<String, Object> fields(String pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String pair : pairs.split(";")) {
            String[] nv = pair.split("=", 2);
            fields.put(nv[0].strip(), nv[1].strip());
        }
        return fields;
    }

    static Silence adHoc(String pairs) {
        return Silence.of("s1", "api", fields(pairs), NOW, SHANGHAI, true);
    }

    @Test
    void aDurationEndsThatLongAfterTheStartWhichIsNowUnlessGiven() {
        Silence silence = adHoc("project=foo-*;duration=2h;comment=deploy;createdBy=li.lei");
        assertThat(silence).isEqualTo(new Silence("s1", null, "foo-*", null, null, null, null, null,
                "2026-11-25T10:00:00Z", "2026-11-25T12:00:00Z", "PT2H", null, null, "deploy", "li.lei", "api"));
        assertThat(adHoc("project=a;start=2026-11-26T08:00;duration=30m").start())
                .as("a local time is in the default zone").isEqualTo("2026-11-26T00:00:00Z");
        assertThat(adHoc("project=a;end=2026-11-25T20:00+08:00").end()).isEqualTo("2026-11-25T12:00:00Z");
    }

    @Test
    void aRecurringWindowKeepsItsScheduleLengthAndZone() {
        Silence nightly = adHoc("environment=production;schedule=0 0 * * *;duration=7h;timeZone=Europe/Berlin");
        assertThat(nightly.schedule()).isEqualTo("0 0 * * *");
        assertThat(nightly.duration()).isEqualTo("PT7H");
        assertThat(nightly.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(nightly.end()).as("no end: recurs until deleted").isNull();
        assertThat(adHoc("environment=production;schedule=0 0 * * *;duration=7h").timeZone()).isEqualTo("Asia/Shanghai");
    }

    @Test
    void aConfiguredSilenceMayLastAsLongAsItsConfiguration() {
        Silence configured = Silence.of("configured-0", "configured", fields("kind=metric_alert.resolved"), NOW, SHANGHAI, false);
        assertThat(configured.start()).isNull();
        assertThat(configured.end()).isNull();
    }

    @Test
    void valuesAreStrippedAndBlankOnesLeftOut() {
        Map<String, Object> fields = fields("project= a ;comment= ;duration=1h");
        fields.put("robot", null);
        Silence silence = Silence.of("s1", "api", fields, NOW, SHANGHAI, true);
        assertThat(silence.project()).isEqualTo("a");
        assertThat(silence.comment()).isNull();
        assertThat(silence.robot()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "severity=error;duration=1h | severity: unknown field; known: robot, project, environment, level, kind, tag, text, start, end, duration, schedule, timeZone, comment, createdBy",
            "a\"b=1;duration=1h | a field: unknown field; known: robot, project, environment, level, kind, tag, text, start, end, duration, schedule, timeZone, comment, createdBy",
            "comment=x;duration=1h | matchers: give at least one of robot, project, environment, level, kind, tag, text",
            "project=a | end: give end or duration (or a recurring window: schedule and duration)",
            "project=a;start=2026-11-25T10:00:00Z;end=2026-11-25T10:00:00Z | end: must be after start",
            "project=a;end=2026-11-25T09:00:00Z | end: must be after start",
            "project=a;end=2026-11-25T12:00:00Z;duration=1h | duration: give end or duration, not both",
            "project=a;schedule=0 0 * * * | duration: a recurring window (schedule) needs its length",
            "project=a;schedule=0 0 * *;duration=1h | schedule: not a cron expression: 5 fields expected (minute hour day-of-month month day-of-week), got 4",
            "project=a;duration=0s | duration: not a duration longer than 0; use one like 30m, 7h, 2d or PT7H",
            "project=a;duration=later | duration: not a duration longer than 0; use one like 30m, 7h, 2d or PT7H",
            "project=a;duration=1h;timeZone=Nowhere/Land | timeZone: not a time zone; use a region like Asia/Shanghai or an offset like +08:00",
            "project=a;start=yesterday;duration=1h | start: not a date-time; use ISO-8601 like 2026-01-31T07:00:00Z or 2026-01-31T07:00+08:00",
            "level=loud;duration=1h | level: must be one of debug, info, warning, error, fatal (the silence mutes that level and those below it)",
            "tag=team;duration=1h | tag: must be key:value, with * as a wildcard in either",
            "tag=:x;duration=1h | tag: must be key:value, with * as a wildcard in either",
    })
    void badInputNamesTheFieldWithoutRepeatingIt(String pairs, String message) {
        assertThatThrownBy(() -> adHoc(pairs)).isInstanceOf(InvalidSilenceException.class).hasMessage(message);
    }

    @Test
    void aFieldMustBeAPlainValue() {
        Map<String, Object> fields = fields("duration=1h");
        fields.put("project", java.util.List.of("a", "b"));
        assertThatThrownBy(() -> Silence.of("s1", "api", fields, NOW, SHANGHAI, true))
                .hasMessage("project: must be a string");
    }
}
