package io.github.sentrydingtalk.robots;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class OnCallTest {

    static final ZonedDateTime START = ZonedDateTime.parse("2026-11-23T09:00+08:00[Asia/Shanghai]");
    static final OnCall ROTA = new OnCall(List.of("a", "b", "c"), false, Duration.ofDays(1), START);

    @Test
    void eachTakesOneShiftInTurnFromTheStart() {
        Instant start = START.toInstant();
        assertThat(ROTA.dutyAt(start)).isEqualTo(new OnCall.Duty("a", start, start.plus(Duration.ofDays(1))));
        assertThat(ROTA.dutyAt(start.plus(Duration.ofDays(1)).minusMillis(1)).person()).isEqualTo("a");
        assertThat(ROTA.dutyAt(start.plus(Duration.ofDays(1))).person()).isEqualTo("b");
        assertThat(ROTA.dutyAt(start.plus(Duration.ofDays(3))).person()).as("round again").isEqualTo("a");
        assertThat(ROTA.next(ROTA.dutyAt(start.plus(Duration.ofHours(50)))).person()).isEqualTo("a");
    }

    @Test
    void beforeTheStartTheTurnsRunBackwards() {
        Instant start = START.toInstant();
        OnCall.Duty before = ROTA.dutyAt(start.minusSeconds(1));
        assertThat(before).isEqualTo(new OnCall.Duty("c", start.minus(Duration.ofDays(1)), start));
    }
}
