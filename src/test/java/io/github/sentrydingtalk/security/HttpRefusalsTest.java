package io.github.sentrydingtalk.security;

import java.io.IOException;

import io.github.sentrydingtalk.robots.UnknownRobotException;
import io.github.sentrydingtalk.security.HttpRefusals.Refusal;
import io.github.sentrydingtalk.sentry.InvalidSentryPayloadException;
import io.github.sentrydingtalk.silences.InvalidSilenceException;
import io.github.sentrydingtalk.silences.UnknownSilenceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRefusalsTest {

    private final HttpRefusals refusals = new HttpRefusals();

    @Test
    void eachRefusalHasItsStatusAndWordAndItsOwnMessageAsReason() {
        assertThat(refusals.of(new UnauthorizedException("wrong ?token=")))
                .isEqualTo(new Refusal(401, "unauthorized", "wrong ?token="));
        assertThat(refusals.of(new AdminDisabledException()))
                .isEqualTo(new Refusal(404, "disabled", "admin endpoints are off: set admin.token to use them"));
        assertThat(refusals.of(new UnknownRobotException("no robot with that name")))
                .isEqualTo(new Refusal(404, "not found", "no robot with that name"));
        assertThat(refusals.of(new PayloadTooLargeException(10)))
                .isEqualTo(new Refusal(413, "rejected", "body larger than sentry.max-body-size (10 bytes)"));
        assertThat(refusals.of(new InvalidSentryPayloadException("body is not valid JSON")))
                .isEqualTo(new Refusal(400, "rejected", "body is not valid JSON"));
    }

    @Test
    void aWrongSilenceIs400NamingTheFieldAndAnUnknownOne404() {
        assertThat(refusals.of(new InvalidSilenceException("schedule", "not a cron expression")))
                .isEqualTo(new Refusal(400, "rejected", "schedule: not a cron expression"));
        assertThat(refusals.of(new UnknownSilenceException()))
                .isEqualTo(new Refusal(404, "not found", "no silence with that id"));
    }

    @Test
    void aRefusalWrappedInAnotherExceptionIsStillARefusal() {
        assertThat(refusals.of(new IllegalStateException("wrapper", new UnauthorizedException("wrong ?token="))))
                .isEqualTo(new Refusal(401, "unauthorized", "wrong ?token="));
    }

    @Test
    void anythingElseIsAnInternalErrorThatNeverEchoesTheFailure() {
        Refusal answer = refusals.of(new IllegalStateException("secret-ish detail"));
        assertThat(answer).isEqualTo(new Refusal(500, "error", "internal error: nothing was accepted, see the service log"));
        assertThat(answer.reason()).doesNotContain("secret-ish");
        assertThat(refusals.of(new IOException("disk"))).isEqualTo(answer);
        assertThat(refusals.of(null)).isEqualTo(answer);
    }
}
