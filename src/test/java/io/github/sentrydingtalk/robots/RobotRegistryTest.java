package io.github.sentrydingtalk.robots;

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
        return SentryAlert.builder().kind(kind).action(action).title("t").projectSlug(project).environment(env)
                .level(level).build();
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
    void anAppRobotSendsToAGroupOrOneToOne() {
        List<Robot> robots = load(with(Map.of(),
                "dingtalk.robots[0].name", "ops",
                "dingtalk.robots[0].type", "app",
                "dingtalk.robots[0].app-key", "dingkey",
                "dingtalk.robots[0].app-secret", "app-secret-1",
                "dingtalk.robots[0].robot-code", "dingrobot",
                "dingtalk.robots[0].open-conversation-id", "cid1==",
                "dingtalk.robots[1].name", "on-call",
                "dingtalk.robots[1].type", "app",
                "dingtalk.robots[1].app-key", "dingkey",
                "dingtalk.robots[1].app-secret", "app-secret-1",
                "dingtalk.robots[1].robot-code", "dingrobot",
                "dingtalk.robots[1].user-ids", "u1, u2"));
        assertThat(robots.get(0).sink().app()).isEqualTo(new io.github.sentrydingtalk.dingtalk.AppRobot(
                "dingkey", "app-secret-1", "dingrobot", "cid1==", List.of()));
        assertThat(robots.get(0).sink().accessToken()).isNull();
        assertThat(robots.get(1).sink().app().userIds()).containsExactly("u1", "u2");
        assertThat(robots.get(1).sink().app().sendPath()).isEqualTo("oToMessages/batchSend");
        assertThat(robots.get(0).sink().toString()).isEqualTo("DingTalkSink[app robot, group]").doesNotContain("secret-1");

        RobotRegistry registry = new RobotRegistry();
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(Map.of("dingtalk.robots[0].type", "app", "dingtalk.robots[0].app-key", "k",
                "dingtalk.robots[0].app-secret", "app-secret-2", "dingtalk.robots[0].robot-code", "r",
                "dingtalk.robots[0].user-ids", "u1"));
        context.getPropertiesComponent().setInitialProperties(properties);
        registry.setCamelContext(context);
        assertThat(registry.describe()).isEqualTo("1 robot(s): robot-1 (app robot, one-to-one)");
        // the webhook robot is the default, as before
        assertThat(load(Map.of("dingtalk.robots[0].access-token", "t")).get(0).sink().appRobot()).isFalse();
    }

    @Test
    void aWrongAppRobotSettingIsOneLineNamingItAndNeverTheSecret() {
        Map<String, String> app = Map.of("dingtalk.robots[0].type", "app", "dingtalk.robots[0].app-key", "k",
                "dingtalk.robots[0].app-secret", "app-secret-3", "dingtalk.robots[0].robot-code", "r");
        assertThatThrownBy(() -> load(app)).hasMessage("dingtalk.robots[0].open-conversation-id (a group) or"
                + " dingtalk.robots[0].user-ids (one-to-one): set exactly one of them for an app robot (type=app)");
        assertThatThrownBy(() -> load(with(app, "dingtalk.robots[0].open-conversation-id", "c", "dingtalk.robots[0].user-ids", "u")))
                .hasMessageContaining("set exactly one of them");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].type", "app", "dingtalk.robots[0].app-secret", "app-secret-3",
                "dingtalk.robots[0].robot-code", "r", "dingtalk.robots[0].user-ids", "u")))
                .hasMessage("dingtalk.robots[0].app-key must be set for an app robot (type=app): see the app in the DingTalk developer console");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].type", "app", "dingtalk.robots[0].app-key", "k",
                "dingtalk.robots[0].robot-code", "r", "dingtalk.robots[0].user-ids", "u")))
                .hasMessageStartingWith("dingtalk.robots[0].app-secret must be set");
        assertThatThrownBy(() -> load(with(app, "dingtalk.robots[0].user-ids", "u", "dingtalk.robots[0].access-token", "t")))
                .hasMessageStartingWith("dingtalk.robots[0].access-token is for a webhook robot");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].app-key", "k")))
                .hasMessage("dingtalk.robots[0].app-key, app-secret and robot-code are for an enterprise app robot:"
                        + " set dingtalk.robots[0].type=app");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].type", "custom", "dingtalk.robots[0].access-token", "t")))
                .hasMessage("dingtalk.robots[0].type must be webhook or app, got 'custom'");
        for (Map<String, String> wrong : List.of(app, with(app, "dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].user-ids", "u"))) {
            assertThatThrownBy(() -> load(wrong)).message().doesNotContain("app-secret-3");
        }
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
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
        assertThat(robots).extracting(r -> r.sink().accessToken()).containsExactly("tok1", "tok3", "tok4");
        // Paired by line: the blank line 2 shifts nothing, "-" means no secret.
        assertThat(robots).extracting(r -> r.sink().secret()).containsExactly("SEC1", null, "SEC4");
        assertThat(robots).allSatisfy(r -> {
            assertThat(r.sink().keyword()).isEqualTo("告警");
            assertThat(r.sink().atMobiles()).containsExactly("13800000001", "13800000002");
        });
    }

    @Test
    void noRobotMeansDryRun() {
        assertThat(load(Map.of())).singleElement().satisfies(r -> assertThat(r.dryRun()).isTrue());
    }

    private static Robot named(String name) {
        return new Robot(name, "t", null, null, List.of(), List.of(), false, false);
    }

    @Test
    void everyNameHasItsOwnFolderAndPlainNamesKeepTheirs() {
        Map<String, String> folders = new java.util.LinkedHashMap<>();
        for (String name : List.of("ops", "Ops-2", "告警机器人", "a/b", "a_b", "a_2Fb", ".", "..", "a.b", "a b", "100%")) {
            folders.put(name, named(name).directory());
        }
        assertThat(folders).containsEntry("ops", "ops").containsEntry("Ops-2", "Ops-2").containsEntry("告警机器人", "告警机器人")
                .containsEntry("a/b", "a_2Fb").containsEntry("a_b", "a_5Fb").containsEntry("a_2Fb", "a_5F2Fb")
                .containsEntry(".", "_2E").containsEntry("..", "_2E_2E");
        assertThat(new java.util.HashSet<>(folders.values())).as("one folder per name").hasSameSizeAs(folders.keySet());
        assertThat(folders.values()).allSatisfy(folder -> assertThat(folder).matches("[\\p{L}\\p{N}_-]+"));
    }

    @Test
    void twoRobotsWithOneNameAreRefused() {
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].name", "ops",
                "dingtalk.robots[1].access-token", "u", "dingtalk.robots[1].name", "ops")))
                .hasMessage("dingtalk.robots[1].name must be unique, ignoring letter case: 'ops' is taken by dingtalk.robots[0].name");
        // A case-insensitive file system (macOS, Windows) would give OPS and ops one folder.
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].name", "ops",
                "dingtalk.robots[3].access-token", "u", "dingtalk.robots[3].name", "OPS")))
                .hasMessage("dingtalk.robots[3].name must be unique, ignoring letter case: 'OPS' is taken by dingtalk.robots[0].name ('ops')");
        // The plugin's robots are named robot-1, robot-2, ...: so is an unnamed dingtalk.robots[0].
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "DINGTALK_ACCESS_TOKENS", "u")))
                .hasMessage("DINGTALK_ACCESS_TOKENS (robot-1) must be unique, ignoring letter case: 'robot-1' is taken by dingtalk.robots[0].name");
    }

    @Test
    void wrongRobotSettingsAreOneLineNamingTheSetting() {
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[2].access-token", "t", "dingtalk.robots[2].min-level", "bogus")))
                .hasMessage("dingtalk.robots[2].min-level must be one of debug, info, warning, error, fatal, got 'bogus'");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].at-all", "yes")))
                .hasMessage("dingtalk.robots[0].at-all must be true or false, got 'yes'");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].templates", "/no/such/folder")))
                .hasMessage("dingtalk.robots[0].templates must be an existing folder, got '/no/such/folder'");
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].name", "长".repeat(90))))
                .hasMessageStartingWith("dingtalk.robots[0].name must be a name of at most 255 bytes as a folder name");
    }

    @Test
    void everyRobotIsFoundHoweverManyAndWithGaps() {
        Map<String, String> settings = new java.util.HashMap<>();
        for (int i = 0; i < 150; i++) {
            settings.put("dingtalk.robots[" + i + "].access-token", "t" + i);
        }
        settings.put("dingtalk.robots[1100].access-token", "far");
        List<Robot> robots = load(settings);
        assertThat(robots).hasSize(151);
        assertThat(robots.get(149).name()).isEqualTo("robot-150");
        assertThat(robots.get(150).name()).isEqualTo("robot-1101");
    }

    @Test
    void outboxFoldersNamedTheOldWayMoveToTheNewName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path outbox) throws Exception {
        java.nio.file.Files.createDirectories(outbox.resolve("a_b"));
        java.nio.file.Files.writeString(outbox.resolve("a_b/1-a.json"), "{}");
        java.nio.file.Files.createDirectories(outbox.resolve("x.y"));
        java.nio.file.Files.writeString(outbox.resolve("x.y/2-b.json"), "{}");
        java.nio.file.Files.createDirectories(outbox.resolve("ops"));
        java.nio.file.Files.writeString(outbox.resolve("ops/3-c.json"), "{}");

        RobotRegistry.moveLegacyOutboxes(outbox, List.of(named("a/b"), named("a_b"), named("x.y"), named("ops")));

        assertThat(outbox.resolve("a_5Fb/1-a.json")).as("a_b's own folder (a/b shared it before)").exists();
        assertThat(outbox.resolve("x_2Ey/2-b.json")).exists();
        assertThat(outbox.resolve("ops/3-c.json")).as("plain names stay where they are").exists();
        assertThat(outbox.resolve("a_b")).doesNotExist();
        assertThat(outbox.resolve("x.y")).doesNotExist();
    }

    @Test
    void buttonsAreOnByDefaultAndResolveInNextReleaseIsAnOptIn() {
        List<Robot> robots = load(Map.of(
                "dingtalk.robots[0].access-token", "t",
                "dingtalk.robots[1].access-token", "u",
                "dingtalk.robots[1].buttons", "false",
                "dingtalk.robots[2].access-token", "v",
                "dingtalk.robots[2].resolve-in-next-release", "TRUE"));
        assertThat(robots).extracting(Robot::buttons).containsExactly(true, false, true);
        assertThat(robots).extracting(Robot::resolveInNextRelease).containsExactly(false, false, true);
        assertThatThrownBy(() -> load(Map.of("dingtalk.robots[0].access-token", "t", "dingtalk.robots[0].buttons", "no")))
                .hasMessage("dingtalk.robots[0].buttons must be true or false, got 'no'");
    }
}
