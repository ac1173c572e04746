package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for an append-only file: many writers, few fsyncs. A writer appends its bytes (under its
 * file's own lock), takes a ticket ({@link #appended}) and waits in {@link #awaitDurable} for an fsync
 * that began after its append. One waiting writer runs the fsync for everyone appended so far; writers
 * arriving meanwhile queue for the next one, which one of them runs for all of them. A writer whose
 * record an earlier fsync already covered returns at once. No timer and no commit window: the batch is
 * whatever arrived while the disk was busy, so a lone webhook pays one fsync and a burst shares them.
 */
final class GroupCommit {

    /** Flushes everything appended so far to the disk. */
    interface Flush {
        void flush() throws IOException;
    }

    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong durable = new AtomicLong();
    private final ReentrantLock flushing = new ReentrantLock();

    /** Call right after writing a record, under the lock its file's writes take; the record's ticket. */
    long appended() {
        return appended.incrementAndGet();
    }

    /**
     * Everything appended so far is on disk by other means (a rewritten, fsynced file). Call under the
     * lock the appends take.
     */
    void markAllDurable() {
        durable.accumulateAndGet(appended.get(), Math::max);
    }

    /**
     * Returns once the record with this ticket is on disk, running {@code flush} itself unless another
     * writer's flush covered it. A failed flush fails its writer; the others try again with their own.
     */
    void awaitDurable(long ticket, Flush flush) throws IOException {
        if (durable.get() >= ticket) {
            return;
        }
        flushing.lock();
        try {
            if (durable.get() >= ticket) {
                return;
            }
            // read before the flush: every ticket up to here was written before it was taken
            long upTo = appended.get();
            flush.flush();
            durable.accumulateAndGet(upTo, Math::max);
        } finally {
            flushing.unlock();
        }
    }
}
