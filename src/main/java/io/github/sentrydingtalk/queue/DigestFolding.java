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

    /** Every character escaped, three bytes each, plus the Markdown around it. */
    static int estimatedLineBytes(SentryAlert a) {
        int chars = length(a.title()) + length(a.projectSlug()) + length(a.level()) + length(a.link());
        return 2 * chars * 3 + 64;
    }

    private static int length(String s) {
        return s == null ? 0 : Math.min(s.length(), 300);
    }
}
