package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptJournalTest {

    @TempDir
    Path dataDir;

    private final List<AcceptJournal> journals = new ArrayList<>();

    @AfterEach
    void stopCheckpoints() throws IOException {
        for (AcceptJournal journal : journals) {
            journal.stop();
        }
    }

    /** A journal whose checkpoints only run when the test calls them. */
    private AcceptJournal journal(String bootId) throws IOException {
        AcceptJournal journal = new AcceptJournal();
        journal.setDirectory(dataDir.resolve("journal").toString());
        journal.setOutbox(dataDir.resolve("outbox").toString());
        journal.setCheckpointInterval("1h");
        journal.setBootId(bootId);
        journal.start();
        journals.add(journal);
        return journal;
    }

    /** The process dies: nothing of the journal runs any more, its files stay as they are. */
    private void kill(AcceptJournal journal) {
        journals.remove(journal);
    }

    private Path file(String robot, String name) {
        return dataDir.resolve("outbox").resolve(robot).resolve(name);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            return files.sorted().toList();
        }
    }

    private List<String> outboxEntries(String robot) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("outbox").resolve(robot))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWrittenFileIsInTheOutboxAndItsBytesInTheJournalWhenWriteReturns() throws Exception {
        AcceptJournal journal = journal("boot-1");
        journal.write(file("ops", "a1.json"), bytes("{\"id\":\"a1\",\"title\":\"告警\"}"));

        assertThat(Files.readString(file("ops", "a1.json"))).isEqualTo("{\"id\":\"a1\",\"title\":\"告警\"}");
        assertThat(outboxEntries("ops")).as("no temp file left").containsExactly("a1.json");
        assertThat(segments()).singleElement().satisfies(segment -> assertThat(Files.readString(segment))
                .startsWith(AcceptJournal.HEADER + "boot-1\n")
                .endsWith(new String(AcceptJournal.record(Path.of("ops", "a1.json"), bytes("{\"id\":\"a1\",\"title\":\"告警\"}")),
                        StandardCharsets.US_ASCII)));
    }

    @Test
    void theFileAppearsOnlyOnceItsRecordIsFlushed() throws Exception {
        AcceptJournal journal = journal("boot-1");
        List<String> seenAtFlush = new ArrayList<>();
        journal.setForce(channel -> {
            seenAtFlush.addAll(outboxEntries("ops"));
            channel.force(false);
        });
        journal.write(file("ops", "a1.json"), bytes("{}"));
        assertThat(seenAtFlush).as("at the flush only the temp file exists").singleElement()
                .satisfies(name -> assertThat(name).startsWith(".a1.json.").endsWith(".tmp"));
        assertThat(outboxEntries("ops")).containsExactly("a1.json");
    }

    @Test
    void concurrentWritesShareFlushes() throws Exception {
        AcceptJournal journal = journal("boot-1");
        AtomicInteger flushes = new AtomicInteger();
        CountDownLatch firstFlush = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        journal.setForce(channel -> {
            flushes.incrementAndGet();
            firstFlush.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // a slow disk: the others arrive meanwhile
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            channel.force(false);
        });
        ExecutorService webhooks = Executors.newFixedThreadPool(16);
        try {
            List<Future<Path>> writes = new ArrayList<>();
            writes.add(webhooks.submit(() -> journal.write(file("ops", "a00.json"), bytes("{\"n\":0}"))));
            assertThat(firstFlush.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 16; i++) {
                int n = i;
                writes.add(webhooks.submit(() -> journal.write(file("ops", String.format("a%02d.json", n)), bytes("{\"n\":" + n + "}"))));
            }
            // every other write has handed its record over and waits for the disk
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> journal.waitingRecords() == 15);
            assertThat(outboxEntries("ops")).as("nothing visible before its flush").allMatch(n -> n.startsWith("."));
            release.countDown();
            for (Future<Path> write : writes) {
                write.get(10, TimeUnit.SECONDS);
            }
        } finally {
            webhooks.shutdownNow();
        }
        assertThat(flushes).as("16 webhooks, two fsyncs: the first one's, then one for the fifteen others").hasValue(2);
        assertThat(outboxEntries("ops")).hasSize(16).noneMatch(n -> n.startsWith("."));
    }

    @Test
    void aCheckpointStartsANewSegmentAndDeletesTheOldOnceItsWaitingFilesAreOnDisk() throws Exception {
        AcceptJournal journal = journal("boot-1");
        journal.write(file("ops", "a1.json"), bytes("{\"n\":1}"));
        journal.write(file("ops", "a2.json"), bytes("{\"n\":2}"));
        Files.delete(file("ops", "a1.json")); // delivered before the checkpoint: nothing to fsync
        Path old = segments().get(0);

        journal.checkpoint();

        assertThat(segments()).as("only the new, empty segment").singleElement().satisfies(segment -> {
            assertThat(segment).isNotEqualTo(old);
            assertThat(Files.readString(segment)).isEqualTo(AcceptJournal.HEADER + "boot-1\n");
        });
        assertThat(Files.readString(file("ops", "a2.json"))).isEqualTo("{\"n\":2}");
        journal.checkpoint();
        assertThat(segments()).as("nothing new: the segment stays").hasSize(1);

        journal.write(file("ops", "a3.json"), bytes("{\"n\":3}"));
        journal.stop();
        kill(journal);
        assertThat(segments()).as("a clean stop leaves no journal").isEmpty();
        assertThat(outboxEntries("ops")).containsExactly("a2.json", "a3.json");
    }

    @Test
    void killedOnTheSameBootTheMissingFileOfAnInterruptedRenameIsWrittenAndDeliveredOnesStayGone() throws Exception {
        AcceptJournal journal = journal("boot-1");
        journal.write(file("ops", "a1.json"), bytes("{\"n\":1}"));
        journal.write(file("ops", "a2.json"), bytes("{\"n\":2}"));
        journal.write(file("team", "a3.json"), bytes("{\"n\":3}"));
        Files.delete(file("ops", "a1.json")); // delivered
        // killed between the fsync and the rename: the temp file is there, the file is not
        Files.move(file("team", "a3.json"), file("team", ".a3.json.0b6f.tmp"));
        kill(journal);

        journal("boot-1");

        assertThat(outboxEntries("ops")).as("a1 was delivered: not sent again").containsExactly("a2.json");
        assertThat(Files.readString(file("team", "a3.json"))).isEqualTo("{\"n\":3}");
        assertThat(segments()).as("replayed and deleted; a new segment").singleElement()
                .satisfies(segment -> assertThat(Files.readString(segment)).isEqualTo(AcceptJournal.HEADER + "boot-1\n"));
    }

    @Test
    void afterAnotherBootEveryFileMissingOrTornIsWrittenAgainFromItsRecord() throws Exception {
        AcceptJournal journal = journal("boot-1");
        journal.write(file("ops", "a1.json"), bytes("{\"n\":1}"));
        journal.write(file("ops", "a2.json"), bytes("{\"n\":2,\"title\":\"long enough to be torn\"}"));
        journal.write(file("ops", "a3.json"), bytes("{\"n\":3}"));
        Files.delete(file("ops", "a1.json")); // lost in the power cut (or delivered: sent again, never lost)
        Files.writeString(file("ops", "a2.json"), "{\"n\":2,\"ti"); // torn: its bytes never reached the disk
        // the power cut hit an append: half a record, never flushed, never answered 202
        byte[] half = AcceptJournal.record(Path.of("ops", "a4.json"), bytes("{\"n\":4}"));
        Files.write(segments().get(0), java.util.Arrays.copyOf(half, half.length / 2), StandardOpenOption.APPEND);
        kill(journal);

        journal("boot-2");

        assertThat(outboxEntries("ops")).containsExactly("a1.json", "a2.json", "a3.json");
        assertThat(Files.readString(file("ops", "a1.json"))).isEqualTo("{\"n\":1}");
        assertThat(Files.readString(file("ops", "a2.json"))).isEqualTo("{\"n\":2,\"title\":\"long enough to be torn\"}");
        assertThat(Files.readString(file("ops", "a3.json"))).isEqualTo("{\"n\":3}");
    }

    @Test
    void withoutABootIdEveryMissingFileIsWrittenAgain() throws Exception {
        AcceptJournal journal = journal(null);
        journal.write(file("ops", "a1.json"), bytes("{\"n\":1}"));
        Files.delete(file("ops", "a1.json"));
        kill(journal);

        journal(null);

        assertThat(outboxEntries("ops")).as("cannot tell delivered from lost: sent again, never lost").containsExactly("a1.json");
    }

    @Test
    void aWriteThatCannotBeFlushedFailsAndLeavesNothingInTheOutbox() throws Exception {
        AcceptJournal journal = journal("boot-1");
        journal.setForce(channel -> {
            throw new IOException("No space left on device");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.write(file("ops", "a1.json"), bytes("{}")))
                .hasMessage("No space left on device");
        assertThat(outboxEntries("ops")).isEmpty();
        journal.setForce(channel -> channel.force(false));
        journal.write(file("ops", "a2.json"), bytes("{}"));
        assertThat(outboxEntries("ops")).containsExactly("a2.json");
    }
}
