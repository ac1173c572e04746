package io.github.sentrydingtalk.queue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Camel's duration forms, ISO-8601 as Spring reads it, and nothing TimeUtils would read as zero by accident. */
class DurationsTest {

    @Test
    void readsCamelAndIsoForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("500")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse(" 60S ")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("pt1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesWhatTimeUtilsWouldReadAsZeroOrHalf() {
        for (String bad : new String[] {"forever", "1x", "1w", "1sfoo", "", "24 h", "-30s", "1.5s", "s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Durations.parseAtLeastZero("x.y", "PT-1H"))
                .hasMessage("x.y must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M, got 'PT-1H'");
        assertThatThrownBy(() -> Durations.parsePositive("x.y", "0ms"))
                .hasMessage("x.y must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got '0ms'");
        assertThat(Durations.parseAtLeastZero("x.y", "0s")).isZero();
    }
}
