package io.github.sentrydingtalk.queue;

import io.github.sentrydingtalk.security.RequestBodyLimit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every number and duration is checked when it is set, with one line naming the setting. */
class SettingsTest {

    private static void check(String property, String value) {
        Settings.check(key -> java.util.Optional.ofNullable(key.equals(property) ? value : null));
    }

    @Test
    void limitsAndThreadCountsMustBePositive() {
        assertThatThrownBy(() -> check("dingtalk.rate-limit.max-messages", "0"))
                .hasMessage("dingtalk.rate-limit.max-messages must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> check("dingtalk.http.deadline", "-2"))
                .hasMessage("dingtalk.http.deadline must be a whole number >= 1, got '-2'");
        assertThatThrownBy(() -> check("notify.idempotency.max-entries", "lots"))
                .hasMessage("notify.idempotency.max-entries must be a whole number >= 1, got 'lots'");
        assertThatThrownBy(() -> check("notify.drain-period", "0"))
                .hasMessage("notify.drain-period must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> check("dingtalk.http.connect-timeout", "0"))
                .hasMessage("dingtalk.http.connect-timeout must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> check("dingtalk.http.response-timeout", "5s"))
                .hasMessage("dingtalk.http.response-timeout must be a whole number >= 1, got '5s'");
        assertThatThrownBy(() -> check("dingtalk.retry.max-redeliveries", "-1"))
                .hasMessage("dingtalk.retry.max-redeliveries must be a whole number >= 0, got '-1'");
        assertThatThrownBy(() -> check("dingtalk.retry.initial-delay", "-5"))
                .hasMessage("dingtalk.retry.initial-delay must be a whole number >= 0, got '-5'");
        assertThatThrownBy(() -> check("dingtalk.retry.max-delay", "99999999999"))
                .hasMessage("dingtalk.retry.max-delay must be a whole number >= 0, got '99999999999'");
        assertThatThrownBy(() -> check("dingtalk.retry.backoff-multiplier", "0.5"))
                .hasMessage("dingtalk.retry.backoff-multiplier must be a number from 1 to 1000, got '0.5'");
        assertThatThrownBy(() -> check("notify.templates-update-delay", "-1"))
                .hasMessage("notify.templates-update-delay must be a whole number >= 0, got '-1'");
        check("dingtalk.rate-limit.max-messages", "20");
        check("dingtalk.retry.max-redeliveries", "0");
        check("dingtalk.retry.backoff-multiplier", "1.5");
    }

    @Test
    void durationsMustBeDurations() {
        assertThatThrownBy(() -> check("dingtalk.rate-limit.window", "0s"))
                .hasMessage("dingtalk.rate-limit.window must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got '0s'");
        assertThatThrownBy(() -> check("dingtalk.rate-limit.pause", "ten minutes"))
                .hasMessage("dingtalk.rate-limit.pause must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got 'ten minutes'");
        assertThatThrownBy(() -> check("dingtalk.retry.outage-pause", "-30s"))
                .hasMessage("dingtalk.retry.outage-pause must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got '-30s'");
        assertThatThrownBy(() -> check("dingtalk.retry.give-up-after", "PT-1H"))
                .hasMessage("dingtalk.retry.give-up-after must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M, got 'PT-1H'");
        assertThatThrownBy(() -> check("notify.idempotency.ttl", "24 h"))
                .hasMessage("notify.idempotency.ttl must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got '24 h'");
        check("dingtalk.retry.give-up-after", "0s");
        assertThat(Durations.parse("PT1M").toSeconds()).isEqualTo(60);
        assertThat(Durations.parse("500").toMillis()).isEqualTo(500);
    }

    @Test
    void theBeansCheckWhatTheyAreGiven() {
        assertThatThrownBy(() -> new RateLimits().setMaxMessages(0))
                .hasMessage("dingtalk.rate-limit.max-messages must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> new RateLimits().setWindow("0ms"))
                .hasMessageStartingWith("dingtalk.rate-limit.window must be a duration");
        assertThatThrownBy(() -> new ExpiringFileIdempotentRepository().setMaxEntries(0))
                .hasMessage("notify.idempotency.max-entries must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> new RequestBodyLimit().setMaxBodySize("0KB"))
                .hasMessage("sentry.max-body-size must be a size >= 1 like 1048576, 512KB or 1MB, got '0KB'");
        assertThatThrownBy(() -> new RequestBodyLimit().setMaxBodySize("99999999999GB"))
                .hasMessage("sentry.max-body-size must be a size >= 1 like 1048576, 512KB or 1MB, got '99999999999GB'");
    }
}
