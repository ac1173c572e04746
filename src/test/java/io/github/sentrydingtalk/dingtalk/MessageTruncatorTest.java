package io.github.sentrydingtalk.dingtalk;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTruncatorTest {

    @Test
    void cutNeverSplitsALinkOrACharacter() {
        String line = "- **error** 【支付】 超时 😀 [👉](https://sentry.example.com/issues/1/)";
        for (int max = 0; max <= line.getBytes(StandardCharsets.UTF_8).length; max++) {
            String cut = MessageTruncator.cut(line, max);
            assertThat(cut).endsWith("…");
            String kept = cut.substring(0, cut.length() - 1);
            assertThat(line).startsWith(kept);
            assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
            assertThat(kept.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isTrue();
            if (kept.contains("[👉")) {
                assertThat(kept).as("a link is kept whole or not at all").endsWith(")");
            }
        }
    }

    @Test
    void shortenKeepsHeadingAndLinkLinesAndCutsTheLongestFirst() {
        String text = "### Title\n\n- short\n\n> " + "x".repeat(5000) + "\n\n[👉 View Issue on Sentry](https://e/1)";
        String shorter = MessageTruncator.shorten(text, 3000);
        assertThat(shorter.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(text.length() - 3000);
        assertThat(shorter).startsWith("### Title\n\n- short\n\n> xxx").endsWith("…\n\n[👉 View Issue on Sentry](https://e/1)");
    }
}
