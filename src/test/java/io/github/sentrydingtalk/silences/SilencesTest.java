package io.github.sentrydingtalk.silences;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SilencesTest {

    static final Robot OPS = new Robot("ops", "t1", null, null, List.of(), List.of(), false, false);
    static final Robot DEV = new Robot("dev", "t2", null, null, List.of(), List.of(), false, false);
    static final SentryAlert ALERT = SentryAlert.builder().kind("issue").action("resolved").projectSlug("pay")
            .level("error").title("boom").build();

    @TempDir
    Path dataDir;

    private Silences silences(String... properties) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        Properties settings = new Properties();
        for (String p : properties) {
            settings.setProperty(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        camel.getPropertiesComponent().setInitialProperties(settings);
        FileSilenceStore store = new FileSilenceStore();
        store.setDirectory(dataDir.toString());
        Silences silences = new Silences();
        silences.setStore(store);
        silences.setClock(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
        silences.setTimeZone("Asia/Shanghai");
        silences.setCamelContext(camel);
        return silences;
    }

    @Test
    void configuredSilencesAreReadFromTheProperties() throws Exception {
        Silences silences = silences("notify.silences[0].robot=dev", "notify.silences[0].kind=issue.resolved",
                "notify.silences[2].project=other", "notify.silences[2].schedule=0 0 * * *",
                "notify.silences[2].duration=7h", "notify.silences[2].time-zone=UTC");
        assertThat(silences.mutedAmong(List.of(OPS, DEV), ALERT))
                .containsExactly(new Silences.Muted("dev", "configured-0", "forever"));
        assertThat(silences.list()).extracting(s -> s.get("id"), s -> s.get("origin"), s -> s.get("state"), s -> s.get("timeZone"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("configured-0", "configured", "active", null),
                        org.assertj.core.groups.Tuple.tuple("configured-2", "configured", "pending", "UTC"));
    }

    @Test
    void aWrongConfiguredSilenceNamesItsProperty() {
        assertThatThrownBy(() -> silences("notify.silences[1].project=a", "notify.silences[1].schedule=0 0 * *",
                "notify.silences[1].duration=1h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("notify.silences[1].schedule: not a cron expression: 5 fields expected (minute hour day-of-month month day-of-week), got 4");
        assertThatThrownBy(() -> silences("notify.silences[0].comment=x"))
                .hasMessage("notify.silences[0].*: give at least one of robot, project, environment, level, kind, tag, text");
        assertThatThrownBy(() -> new Silences().setTimeZone("Mars"))
                .hasMessage("notify.time-zone: not a time zone; use a region like Asia/Shanghai or an offset like +08:00");
        assertThatThrownBy(() -> silences("notify.silences[0].project=a", "notify.silences[0].time-zone=Mars"))
                .hasMessageStartingWith("notify.silences[0].time-zone: not a time zone");
    }

    @Test
    void anAdHocSilenceMutesUntilRemoved() throws Exception {
        Silences silences = silences();
        assertThat(silences.mutedAmong(List.of(OPS, DEV), ALERT)).isEmpty();
        String id = silences.add("{\"project\":\"pay\",\"robot\":\"ops\",\"duration\":\"1h\"}").get("id");
        List<Silences.Muted> muted = silences.mutedAmong(List.of(OPS, DEV), ALERT);
        assertThat(muted).containsExactly(new Silences.Muted("ops", id, "2026-11-25T11:00:00Z"));
        assertThat(silences.withoutMuted(List.of(OPS, DEV), muted)).containsExactly(DEV);
        assertThat(silences.muting(OPS, ALERT)).isEqualTo(muted.get(0));
        assertThat(silences.muting(DEV, ALERT)).isNull();
        assertThat(silences().list()).as("kept for the next start").extracting(s -> s.get("id")).containsExactly(id);

        assertThat(silences.remove(id)).isEqualTo(Map.of("id", id, "state", "deleted"));
        assertThat(silences.mutedAmong(List.of(OPS, DEV), ALERT)).isEmpty();
        assertThatThrownBy(() -> silences.remove(id)).isInstanceOf(UnknownSilenceException.class);
    }

    @Test
    void previewAsksTheRobotsFiltersFirst() throws Exception {
        Silences silences = silences("notify.silences[0].project=*");
        Robot metricsOnly = new Robot("m", new io.github.sentrydingtalk.dingtalk.DingTalkSink("t", null, null, List.of(), List.of(), false),
                new Robot.Filters(List.of(), List.of(), null, List.of("metric_alert")), Map.of(), null, false);
        assertThat(silences.muting(metricsOnly, ALERT)).as("filtered, not silenced").isNull();
        assertThat(silences.muting(OPS, null)).isNull();
    }

    @Test
    void anAdHocSilenceForAnUnknownRobotIsRefused() throws Exception {
        Silences silences = silences();
        RobotRegistry registry = new RobotRegistry() {
            @Override
            public List<Robot> robots() {
                return List.of(OPS);
            }
        };
        silences.setRobotRegistry(registry);
        assertThatThrownBy(() -> silences.add("{\"robot\":\"opz\",\"duration\":\"1h\"}"))
                .hasMessage("robot: no robot with that name");
        assertThatThrownBy(() -> silences.add("not json")).hasMessage("body: must be a JSON object of the silence's fields");
        assertThatThrownBy(() -> silences.add("null")).hasMessage("body: must be a JSON object of the silence's fields");
        assertThatThrownBy(() -> silences.remove("configured-0")).isInstanceOf(UnknownSilenceException.class);
    }
}
