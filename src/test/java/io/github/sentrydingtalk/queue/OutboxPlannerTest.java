package io.github.sentrydingtalk.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxPlannerTest {

    @TempDir
    Path dir;

    private OutboxPlanner planner;
    private Path ops;
    private Path team;

    private static final String ALERT = "{\"id\":\"%s\",\"kind\":\"legacy\",\"title\":\"%s\",\"acceptedAt\":\"%s\"}";

    @BeforeEach
    void twoRobots() throws Exception {
        Properties props = new Properties();
        props.put("dingtalk.robots[0].name", "ops");
        props.put("dingtalk.robots[0].access-token", "ops-token");
        props.put("dingtalk.robots[1].name", "team");
        props.put("dingtalk.robots[1].access-token", "team-token");
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(props);
        RobotRegistry registry = new RobotRegistry();
        registry.setCamelContext(context);
        planner = new OutboxPlanner();
        Outbox outbox = new Outbox();
        outbox.setDirectory(dir.resolve("outbox").toString());
        planner.setOutbox(outbox);
        planner.setRobotRegistry(registry);
        planner.setMaxMessages(3);
        ops = Files.createDirectories(dir.resolve("outbox/ops"));
        team = Files.createDirectories(dir.resolve("outbox/team"));
    }

    private void alert(Path folder, String id, String acceptedAt) throws Exception {
        Files.writeString(folder.resolve(id + ".json"), ALERT.formatted(id, "alert " + id, acceptedAt));
    }

    private static List<String> titles(List<Delivery> batch) {
        return batch.stream().flatMap(d -> d.getAlerts().stream()).map(a -> a.title()).toList();
    }

    @Test
    void nullGarbageAndEmptyFilesAreMovedAsideAndTheRestIsPlanned() throws Exception {
        Files.writeString(ops.resolve("0000000000001-a.json"), "null");
        Files.writeString(ops.resolve("0000000000002-b.json"), "{\"kind\": ");
        Files.writeString(ops.resolve("0000000000003-c.json"), "");
        Files.writeString(ops.resolve("0000000000004-d.json"), "[1, 2]");
        alert(ops, "0000000000005-e", "2024-01-01T00:00:00Z");
        Files.writeString(team.resolve("0000000000001-f.json"), "null");
        alert(team, "0000000000006-g", "2024-01-01T00:00:00Z");

        List<List<Delivery>> plan = planner.plan();

        assertThat(plan).hasSize(2);
        assertThat(titles(plan.get(0))).containsExactly("alert 0000000000005-e");
        assertThat(titles(plan.get(1))).containsExactly("alert 0000000000006-g");
        assertThat(Files.list(ops.resolve(".corrupt")).count()).isEqualTo(4);
        assertThat(Files.list(team.resolve(".corrupt")).count()).isEqualTo(1);
    }

    @Test
    void aRobotIsPlannedAgainOnceItsBatchIsReleasedHoweverItEnded() throws Exception {
        alert(ops, "0000000000001-a", "2024-01-01T00:00:00Z");
        alert(ops, "0000000000002-b", "2024-01-01T00:00:00Z");
        List<Delivery> batch = planner.plan().get(0);
        assertThat(batch).hasSize(2);
        assertThat(planner.plan()).as("in flight: not planned twice").isEmpty();

        // The first went out and was delivered; the thread then died (an Error) before the second.
        planner.sent(batch.get(0));
        planner.finished(batch.get(0));
        assertThat(planner.plan()).isEmpty();
        planner.releaseAll(batch);
        planner.releaseAll(batch); // idempotent: released once per delivery

        List<List<Delivery>> again = planner.plan();
        assertThat(again).hasSize(1);
        assertThat(titles(again.get(0))).containsExactly("alert 0000000000002-b");
    }

    @Test
    void releasingTwiceNeverGivesTheRateLimitMoreSlotsThanItHas() throws Exception {
        for (int i = 1; i <= 5; i++) {
            alert(ops, "000000000000" + i + "-a", "2024-01-01T00:00:00Z");
        }
        List<Delivery> batch = planner.plan().get(0);
        // a budget of 3: two singles and a digest of the rest
        assertThat(batch).hasSize(3);
        for (Delivery d : batch) {
            planner.sent(d);
            planner.finished(d);
            planner.finished(d);
        }
        planner.releaseAll(batch);
        alert(ops, "0000000000009-z", "2024-01-01T00:00:00Z");
        assertThat(planner.plan()).as("three sends in the window: no budget left").isEmpty();
    }

    @Test
    void aDeadLetterThatCannotBeWrittenPausesTheRobotAndKeepsItsAlert() throws Exception {
        planner.setOutagePause("1h");
        alert(ops, "0000000000001-a", "2024-01-01T00:00:00Z");
        alert(team, "0000000000002-b", "2024-01-01T00:00:00Z");
        List<List<Delivery>> plan = planner.plan();
        Delivery failed = plan.get(0).get(0);
        planner.sent(failed);
        planner.deadLetterNotWritten(failed, new java.io.IOException("No space left on device"));
        planner.releaseAll(plan.get(0));
        planner.releaseAll(plan.get(1));

        assertThat(Files.exists(ops.resolve("0000000000001-a.json"))).isTrue();
        List<List<Delivery>> next = planner.plan();
        assertThat(next).as("ops paused, team goes on").hasSize(1);
        assertThat(next.get(0).get(0).getRobot().name()).isEqualTo("team");
    }

    @Test
    void aHandEditedAcceptedTimeDoesNotFailADelivery() throws Exception {
        alert(ops, "0000000000001-a", "yesterday");
        Delivery delivery = planner.plan().get(0).get(0);
        assertThat(planner.secondsSinceAccepted(delivery)).isBetween(0.0, 1.0);
    }
}
