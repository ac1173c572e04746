package io.github.sentrydingtalk.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.sentrydingtalk.robots.Robot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RobotBacklogTest {

    private static final Robot OPS = new Robot("ops", "ops-token", null, null, List.of(), List.of(), false, false);
    private static final Robot TEAM = new Robot("team", "team-token", null, null, List.of(), List.of(), false, false);
    private static final String ALERT = "{\"id\":\"%s\",\"kind\":\"legacy\",\"title\":\"%s\",\"level\":\"%s\",\"acceptedAt\":\"2024-01-01T00:00:00Z\"}";

    @TempDir
    Path dir;

    private final RobotBacklog backlog = new RobotBacklog();
    private Path ops;
    private Path team;

    @BeforeEach
    void twoRobots() throws Exception {
        Outbox outbox = new Outbox();
        outbox.setDirectory(dir.resolve("outbox").toString());
        backlog.setOutbox(outbox);
        ops = Files.createDirectories(dir.resolve("outbox/ops"));
        team = Files.createDirectories(dir.resolve("outbox/team"));
    }

    private void alert(Path folder, String id) throws Exception {
        alert(folder, id, "error");
    }

    private void alert(Path folder, String id, String level) throws Exception {
        Files.writeString(folder.resolve(id + ".json"), ALERT.formatted(id, "alert " + id, level));
    }

    private static List<String> titles(Delivery delivery) {
        return delivery.getAlerts().stream().map(a -> a.title()).toList();
    }

    @Test
    void nullGarbageAndEmptyFilesAreMovedAsideAndTheRestIsSent() throws Exception {
        Files.writeString(ops.resolve("0000000000001-a.json"), "null");
        Files.writeString(ops.resolve("0000000000002-b.json"), "{\"kind\": ");
        Files.writeString(ops.resolve("0000000000003-c.json"), "");
        Files.writeString(ops.resolve("0000000000004-d.json"), "[1, 2]");
        alert(ops, "0000000000005-e");
        Files.writeString(team.resolve("0000000000001-f.json"), "null");
        alert(team, "0000000000006-g");

        assertThat(titles(backlog.nextMessage(OPS, 20))).containsExactly("alert 0000000000005-e");
        assertThat(titles(backlog.nextMessage(TEAM, 20))).containsExactly("alert 0000000000006-g");
        assertThat(Files.list(ops.resolve(".corrupt")).count()).isEqualTo(4);
        assertThat(Files.list(team.resolve(".corrupt")).count()).isEqualTo(1);
    }

    @Test
    void theOldestAlertGoesFirstAndStaysUntilRemoved() throws Exception {
        alert(ops, "0000000000002-b");
        alert(ops, "0000000000001-a");
        Delivery first = backlog.nextMessage(OPS, 20);
        assertThat(titles(first)).containsExactly("alert 0000000000001-a");
        // not delivered (a pause, a crash, an Error on the robot's thread): the same alert comes next
        assertThat(titles(backlog.nextMessage(OPS, 20))).containsExactly("alert 0000000000001-a");

        backlog.remove(first);
        assertThat(first.isRemoved()).isTrue();
        assertThat(titles(backlog.nextMessage(OPS, 20))).containsExactly("alert 0000000000002-b");
        assertThat(backlog.depth(OPS)).isEqualTo(1);
    }

    @Test
    void filesListedOnceStayRightWhenTheFolderChangesUnderneath() throws Exception {
        alert(ops, "0000000000001-a");
        alert(ops, "0000000000002-b");
        alert(ops, "0000000000003-c");
        Delivery a = backlog.nextMessage(OPS, 20);
        backlog.remove(a);
        Files.delete(ops.resolve("0000000000002-b.json")); // gone since the listing (a replay, a hand)
        alert(ops, "0000000000004-d");
        assertThat(titles(backlog.nextMessage(OPS, 20))).containsExactly("alert 0000000000003-c");
        backlog.remove(backlog.nextMessage(OPS, 20));
        // the listed files are all sent: the next look finds what arrived meanwhile
        assertThat(titles(backlog.nextMessage(OPS, 20))).containsExactly("alert 0000000000004-d");
        // one slot left: the digest sees everything that waits now, not only what was listed
        alert(ops, "0000000000005-e");
        assertThat(titles(backlog.nextMessage(OPS, 1))).containsExactlyInAnyOrder("alert 0000000000004-d", "alert 0000000000005-e");
    }

    @Test
    void aBudgetOfThreeSendsTwoSinglesAndADigestOfTheRestThenNothing() throws Exception {
        for (int i = 1; i <= 5; i++) {
            alert(ops, "000000000000" + i + "-a", i == 5 ? "fatal" : "warning");
        }
        // the route asks with the window's room: 3, then 2, then 1 (each message took a slot)
        Delivery one = backlog.nextMessage(OPS, 3);
        backlog.remove(one);
        Delivery two = backlog.nextMessage(OPS, 2);
        backlog.remove(two);
        Delivery digest = backlog.nextMessage(OPS, 1);
        backlog.remove(digest);

        assertThat(one.isDigest() || two.isDigest()).isFalse();
        assertThat(digest.isDigest()).isTrue();
        assertThat(titles(digest)).as("most severe first")
                .containsExactly("alert 0000000000005-a", "alert 0000000000003-a", "alert 0000000000004-a");

        alert(ops, "0000000000009-z");
        assertThat(backlog.nextMessage(OPS, 0)).as("three sends in the window: no budget left").isNull();
    }

    @Test
    void theLastAlertWithOneSlotLeftIsAMessageOfItsOwn() throws Exception {
        alert(ops, "0000000000001-a");
        assertThat(backlog.nextMessage(OPS, 1).isDigest()).isFalse();
        assertThat(backlog.nextMessage(TEAM, 20)).as("nothing waits").isNull();
    }

    @Test
    void staleTempFilesOfCutShortWritesAreRemovedOnTheFirstLook() throws Exception {
        Path temp = Files.writeString(ops.resolve(".0000000000001-a.json.1234.tmp"), "{\"id\":");
        Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(backlog.nextMessage(OPS, 20)).isNull();
        assertThat(temp).doesNotExist();
    }

    @Test
    void onlyARobotThatFoundNothingWithRoomToSendIsWorthWakingAndOnlyOnce() throws Exception {
        assertThat(backlog.takeIdle(OPS)).as("never looked").isFalse();
        assertThat(backlog.nextMessage(OPS, 0)).isNull();
        assertThat(backlog.takeIdle(OPS)).as("window full: its own poll takes new alerts").isFalse();

        assertThat(backlog.nextMessage(OPS, 20)).isNull();
        assertThat(backlog.takeIdle(OPS)).as("empty backlog, room to send").isTrue();
        assertThat(backlog.takeIdle(OPS)).as("already woken").isFalse();
        assertThat(backlog.takeIdle(TEAM)).isFalse();

        alert(ops, "0000000000001-a");
        assertThat(backlog.nextMessage(OPS, 20)).isNotNull();
        assertThat(backlog.takeIdle(OPS)).as("busy sending").isFalse();
    }

    @Test
    void aSingleMessageNamesItsAlertADigestNone() throws Exception {
        alert(ops, "0000000000001-a");
        Delivery single = backlog.nextMessage(OPS, 20);
        assertThat(backlog.singleAlertOf(single).id()).isEqualTo("0000000000001-a");
        assertThat(backlog.isRemoved(single)).isFalse();
        backlog.remove(single);
        assertThat(backlog.isRemoved(single)).isTrue();

        alert(ops, "0000000000002-b");
        alert(ops, "0000000000003-c");
        assertThat(backlog.singleAlertOf(backlog.nextMessage(OPS, 1))).as("a digest").isNull();
    }
}
