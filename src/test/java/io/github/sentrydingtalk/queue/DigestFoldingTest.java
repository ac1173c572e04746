package io.github.sentrydingtalk.queue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.sentrydingtalk.sentry.SentryAlert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DigestFoldingTest {

    private static DigestFolding.Waiting waiting(int i, String level, String title) {
        return new DigestFolding.Waiting(Path.of(i + ".json"), SentryAlert.builder().id(String.valueOf(i)).level(level).title(title).build());
    }

    private static List<String> ids(List<DigestFolding.Waiting> taken) {
        return taken.stream().map(w -> w.alert().id()).toList();
    }

    @Test
    void mostSevereFirstThenOldestFirst() {
        List<DigestFolding.Waiting> candidates = List.of(waiting(1, "warning", "a"), waiting(2, "fatal", "b"),
                waiting(3, "info", "c"), waiting(4, "error", "d"), waiting(5, "fatal", "e"));
        assertThat(ids(DigestFolding.fold(candidates, 14_000))).containsExactly("2", "5", "4", "1", "3");
    }

    @Test
    void whatDoesNotFitTheByteBudgetWaitsForTheNextDigest() {
        List<DigestFolding.Waiting> candidates = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            candidates.add(waiting(i, "error", "x".repeat(200)));
        }
        int line = DigestFolding.estimatedLineBytes(candidates.get(0).alert());
        List<DigestFolding.Waiting> taken = DigestFolding.fold(candidates, 14_000);
        assertThat(taken).hasSize(14_000 / line);
        assertThat(ids(taken)).startsWith("0", "1", "2");
    }

    @Test
    void oneAlertTooLargeForTheBudgetIsStillTaken() {
        List<DigestFolding.Waiting> candidates = List.of(waiting(1, "error", "x".repeat(300)), waiting(2, "error", "y"));
        assertThat(ids(DigestFolding.fold(candidates, 10))).containsExactly("1");
    }

    @Test
    void aKafkaDigestTakesTheOldestThatFitAndListsThemMostSevereFirst() {
        List<SentryAlert> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            oldestFirst.add(waiting(i, i == 99 ? "fatal" : "info", "x".repeat(200)).alert());
        }
        int line = DigestFolding.estimatedLineBytes(oldestFirst.get(0));
        assertThat(DigestFolding.oldestThatFit(oldestFirst, 14_000)).as("the fatal one, last, waits").isEqualTo(14_000 / line);
        assertThat(DigestFolding.oldestThatFit(oldestFirst.subList(0, 1), 10)).isEqualTo(1);

        List<SentryAlert> lines = List.of(waiting(1, "warning", "a").alert(), waiting(2, "fatal", "b").alert(),
                waiting(3, "warning", "c").alert());
        assertThat(DigestFolding.mostSevereFirst(lines).stream().map(SentryAlert::id)).containsExactly("2", "1", "3");
    }
}
