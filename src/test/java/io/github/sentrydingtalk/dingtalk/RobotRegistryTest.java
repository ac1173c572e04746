package io.github.sentrydingtalk.dingtalk;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RobotRegistryTest {

    private static List<Robot> load(Map<String, String> settings) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(settings);
        context.getPropertiesComponent().setInitialProperties(properties);
        return RobotRegistry.load(context.getPropertiesComponent());
    }

    private static SentryAlert alert(String kind, String action, String project, String env, String level) {
        return new SentryAlert(kind, action, null, "t", project, null, env, level, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void filtersCombineWithAndAndAMissingFieldDoesNotMatch() {
        Robot robot = load(Map.of(
                "dingtalk.robots[0].access-token", "t",
                "dingtalk.robots[0].projects", "front-*, api",
                "dingtalk.robots[0].environments", "prod*",
                "dingtalk.robots[0].min-level", "error",
                "dingtalk.robots[0].events", "event_alert,issue.created,metric_alert.*")).get(0);

        assertThat(robot.accepts(alert("event_alert", "triggered", "front-end", "production", "error"))).isTrue();
        assertThat(robot.accepts(alert("issue", "created", "api", "prod-eu", "fatal"))).isTrue();
        assertThat(robot.accepts(alert("issue", "resolved", "api", "prod", "fatal"))).as("event").isFalse();
        assertThat(robot.accepts(alert("event_alert", "triggered", "backend", "production", "error"))).as("project").isFalse();
        assertThat(robot.accepts(alert("event_alert", "triggered", "front-end", "staging", "error"))).as("environment").isFalse();
        assertThat(robot.accepts(alert("event_alert", "triggered", "front-end", "production", "warning"))).as("level").isFalse();
        assertThat(robot.accepts(alert("event_alert", "triggered", null, "production", "error"))).as("no project").isFalse();
        assertThat(robot.accepts(alert("event_alert", "triggered", "front-end", null, "error"))).as("no environment").isFalse();
        assertThat(robot.accepts(alert("event_alert", "triggered", "front-end", "production", null))).as("no level").isFalse();
        assertThat(robot.accepts(alert("legacy", null, "front-end", "production", "error"))).as("legacy not listed").isFalse();
    }

    @Test
    void aRobotWithoutFiltersGetsEverythingAndMentionsDependOnLevel() {
        Robot robot = load(Map.of(
                "dingtalk.robots[0].access-token", "t",
                "dingtalk.robots[0].at-mobiles", "100",
                "dingtalk.robots[0].at-mobiles-by-level.fatal", "200, 300")).get(0);
        assertThat(robot.accepts(alert("legacy", null, null, null, null))).isTrue();
        assertThat(robot.mobilesFor(List.of(alert("legacy", null, null, null, "error")))).containsExactly("100");
        assertThat(robot.mobilesFor(List.of(alert("legacy", null, null, null, "FATAL")))).containsExactly("100", "200", "300");
    }

    @Test
    void aWrongMinLevelIsAClearError() {
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].min-level", "loud")))
                .hasMessageContaining("min-level must be one of");
    }

    @Test
    void theSeedPluginsSettingsPasteUnchanged() {
        List<Robot> robots = load(Map.of(
                "DINGTALK_ACCESS_TOKENS", "tok1\n\nhttps://oapi.dingtalk.com/robot/send?access_token=tok3\r\ntok4\n\n",
                "DINGTALK_SECRETS", "SEC1\n\n-\nSEC4\n",
                "DINGTALK_KEYWORD", "告警",
                "DINGTALK_AT_MOBILES", "13800000001,13800000002"));
        assertThat(robots).extracting(Robot::name).containsExactly("robot-1", "robot-2", "robot-3");
        assertThat(robots).extracting(Robot::accessToken).containsExactly("tok1", "tok3", "tok4");
        // Paired by line: the blank line 2 shifts nothing, "-" means no secret.
        assertThat(robots).extracting(Robot::secret).containsExactly("SEC1", null, "SEC4");
        assertThat(robots).allSatisfy(r -> {
            assertThat(r.keyword()).isEqualTo("告警");
            assertThat(r.atMobiles()).containsExactly("13800000001", "13800000002");
        });
    }

    @Test
    void noRobotMeansDryRun() {
        assertThat(load(Map.of())).singleElement().satisfies(r -> assertThat(r.dryRun()).isTrue());
    }
}
