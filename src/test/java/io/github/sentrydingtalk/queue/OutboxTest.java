package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.github.sentrydingtalk.robots.Robot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxTest {

    @TempDir
    Path dir;

    private final Robot ops = new Robot("ops", "token", null, null, List.of(), List.of(), false, false);

    private Outbox outbox() {
        Outbox outbox = new Outbox();
        outbox.setDirectory(dir.resolve("outbox").toString());
        return outbox;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void putWritesOneWholeFileNamedByTheAlertIdAndNothingElse() throws Exception {
        Path file = outbox().put(ops, "0000000000001-0000abcd", "{\"id\":\"0000000000001-0000abcd\"}");
        assertThat(file).isEqualTo(dir.resolve("outbox/ops/0000000000001-0000abcd.json"));
        assertThat(Files.readString(file)).isEqualTo("{\"id\":\"0000000000001-0000abcd\"}");
        assertThat(names(dir.resolve("outbox/ops"))).containsExactly("0000000000001-0000abcd.json");
    }

    @Test
    void anIdCannotLeaveTheRobotsFolder() throws Exception {
        Path file = outbox().put(ops, "../../etc/x", "{}");
        assertThat(file.getParent()).isEqualTo(dir.resolve("outbox/ops"));
        assertThat(file.getFileName().toString()).doesNotStartWith(".").endsWith(".json");
    }

    @Test
    void aFailedWriteThrowsAndLeavesNoTempFile() throws Exception {
        // The 202 must not go out for an alert that is not on disk: a write that cannot happen is an error.
        Files.createDirectories(dir.resolve("outbox/ops"));
        Files.createDirectory(dir.resolve("outbox/ops/0000000000002-00000000.json")); // the target cannot be replaced
        assertThatThrownBy(() -> outbox().put(ops, "0000000000002-00000000", "{}")).isInstanceOf(IOException.class);
        assertThat(names(dir.resolve("outbox/ops"))).containsExactly("0000000000002-00000000.json");

        Files.writeString(dir.resolve("outbox/team"), "a file where the robot's folder should be");
        Robot team = new Robot("team", "t", null, null, List.of(), List.of(), false, false);
        assertThatThrownBy(() -> outbox().put(team, "0000000000003-00000000", "{}")).isInstanceOf(IOException.class);
    }

    @Test
    void staleTempFilesAreRemovedFoldersAndAlertsStay() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("outbox/ops"));
        Path old = Files.writeString(folder.resolve(".0000000000001-00000000.json"), "");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(60)));
        Path fresh = Files.writeString(folder.resolve(".0000000000002-00000000.json.x.tmp"), "");
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().plusSeconds(60)));
        Files.createDirectory(folder.resolve(".corrupt"));
        Files.writeString(folder.resolve("0000000000003-00000000.json"), "{}");

        assertThat(DurableFiles.removeStaleTemps(folder, System.currentTimeMillis())).isEqualTo(1);
        assertThat(names(folder)).containsExactly(".0000000000002-00000000.json.x.tmp", ".corrupt", "0000000000003-00000000.json");
        assertThat(DurableFiles.removeStaleTemps(dir.resolve("missing"), System.currentTimeMillis())).isZero();
    }

    @Test
    void theReasonIsTheFileSystemsWordsWithoutPathOrQuotes() {
        assertThat(Outbox.unavailableReason(new java.io.UncheckedIOException(new IOException("No space left on device"))))
                .isEqualTo("No space left on device");
        assertThat(Outbox.unavailableReason(new FileSystemException("/data/\"x\"/outbox", null, "Read-only file system")))
                .isEqualTo("Read-only file system");
        assertThat(Outbox.unavailableReason(new IOException("say \"hi\"\n"))).isEqualTo("say  hi");
    }
}
