package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * Which waiting alerts make the next digest: most severe first, then oldest first, as many as fit one
 * DingTalk message (an estimate, generous on purpose); the rest waits for the next digest. At least one
 * is always taken, so a digest never comes out empty.
 */
public final class DigestFolding {

    /** What DingTalk's 20,000 bytes leave for the lines once title, keyword and mentions are in. */
    static final int MAX_BYTES = 14_000;

    /** An alert waiting in a robot's backlog, and its file. */
    public record Waiting(Path file, SentryAlert alert) {
    }

    private DigestFolding() {
    }

    public static List<Waiting> fold(List<Waiting> candidates, int maxBytes) {
        List<Waiting> bySeverity = new ArrayList<>(candidates);
        // a stable sort: within one level the oldest stay first
        bySeverity.sort(Comparator.comparingInt((Waiting w) -> -w.alert().severity()));
        List<Waiting> taken = new ArrayList<>();
        int bytes = 0;
        for (Waiting w : bySeverity) {
            int line = estimatedLineBytes(w.alert());
            if (!taken.isEmpty() && bytes + line > maxBytes) {
                break;
            }
            bytes += line;
            taken.add(w);
        }
        return taken;
    }

    /**
     * A Kafka backlog's digest: how many of the oldest waiting alerts fit one message (at least one). A
     * prefix, not the most severe of them: a robot's topic is committed in order, so a digest that
     * skipped an alert could not be committed until that one went out, and a crash in between would send
     * the digest's alerts again.
     */
    public static int oldestThatFit(List<SentryAlert> oldestFirst, int maxBytes) {
        int bytes = 0;
        int taken = 0;
        for (SentryAlert alert : oldestFirst) {
            int line = estimatedLineBytes(alert);
            if (taken > 0 && bytes + line > maxBytes) {
                break;
            }
            bytes += line;
            taken++;
        }
        return taken;
    }

    /** The lines of a digest: most severe first, oldest first within a level (a stable sort). */
    public static List<SentryAlert> mostSevereFirst(List<SentryAlert> alerts) {
        List<SentryAlert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparingInt((SentryAlert a) -> -a.severity()));
        return sorted;
    }

    /** Every character escaped, three bytes each, plus the Markdown around it. */
    static int estimatedLineBytes(SentryAlert a) {
        int chars = length(a.title()) + length(a.projectSlug()) + length(a.level()) + length(a.link());
        return 2 * chars * 3 + 64;
    }

    private static int length(String s) {
        return s == null ? 0 : Math.min(s.length(), 300);
    }
}
