package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitTest {

    private final GroupCommit commit = new GroupCommit();
    private final AtomicInteger flushes = new AtomicInteger();

    @Test
    void aLoneWriterFlushesOnceAndAnEarlierFlushCoversWhatWasAppendedBeforeIt() throws Exception {
        long first = commit.appended();
        long second = commit.appended();
        commit.awaitDurable(second, flushes::incrementAndGet);
        assertThat(flushes).as("one flush for both records").hasValue(1);
        commit.awaitDurable(first, flushes::incrementAndGet);
        assertThat(flushes).as("already covered: no flush").hasValue(1);

        long third = commit.appended();
        commit.awaitDurable(third, flushes::incrementAndGet);
        assertThat(flushes).as("appended after the last flush: a flush of its own").hasValue(2);
    }

    @Test
    void writersArrivingDuringAFlushShareTheNextOne() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService writers = Executors.newFixedThreadPool(12);
        try {
            Future<?> leader = writers.submit(() -> {
                commit.awaitDurable(commit.appended(), () -> {
                    flushes.incrementAndGet();
                    flushing.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                });
                return null;
            });
            assertThat(flushing.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long ticket = commit.appended(); // appended while the disk is busy with the first flush
                waiting.add(writers.submit(() -> {
                    commit.awaitDurable(ticket, flushes::incrementAndGet);
                    return null;
                }));
            }
            release.countDown();
            leader.get(10, TimeUnit.SECONDS);
            for (Future<?> writer : waiting) {
                writer.get(10, TimeUnit.SECONDS);
            }
            assertThat(flushes).as("the first flush, then one shared by the ten writers").hasValue(2);
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void aFailedFlushFailsItsWriterAndTheNextWriterFlushesAgain() throws Exception {
        long ticket = commit.appended();
        assertThatThrownBy(() -> commit.awaitDurable(ticket, () -> {
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        commit.awaitDurable(ticket, flushes::incrementAndGet);
        assertThat(flushes).as("not durable after the failure: flushed again").hasValue(1);
    }

    @Test
    void markingAllDurableCoversEveryRecordSoFar() throws Exception {
        long ticket = commit.appended();
        commit.markAllDurable();
        commit.awaitDurable(ticket, flushes::incrementAndGet);
        assertThat(flushes).hasValue(0);
    }
}
