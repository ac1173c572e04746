package io.github.sentrydingtalk.security;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sentrydingtalk.robots.NoOnCallException;
import io.github.sentrydingtalk.robots.UnknownRobotException;
import io.github.sentrydingtalk.sentry.InvalidSentryPayloadException;
import io.github.sentrydingtalk.silences.InvalidSilenceException;
import io.github.sentrydingtalk.silences.UnknownSilenceException;

/**
 * Which refused request gets which answer (routes/http-errors.camel.yaml): the HTTP status and the word
 * in the JSON answer's "status". The reason is the exception's own message: these exceptions carry our
 * wording only, never input or a secret, so it is returned as it is.
 */
public class HttpRefusals {

    /** The answer to a refused request: HTTP status, and {"status":"KIND","reason":"REASON"}. */
    public record Refusal(int status, String kind, String reason) {
    }

    /** The intake gate's answer (503, with Retry-After) while the service starts or stops, under either runtime. */
    public static final String STARTING_OR_STOPPING =
            "{\"status\":\"unavailable\",\"reason\":\"the service is starting or stopping: nothing was accepted, try again\"}";

    /** Anything else is our failure, not a refusal: 500, and its text stays in the log. */
    static final Refusal INTERNAL_ERROR =
            new Refusal(500, "error", "internal error: nothing was accepted, see the service log");

    private static final Map<Class<? extends RuntimeException>, Refusal> BY_EXCEPTION = new LinkedHashMap<>();

    static {
        BY_EXCEPTION.put(UnauthorizedException.class, new Refusal(401, "unauthorized", null));
        BY_EXCEPTION.put(AdminDisabledException.class, new Refusal(404, "disabled", null));
        BY_EXCEPTION.put(UnknownRobotException.class, new Refusal(404, "not found", null));
        BY_EXCEPTION.put(NoOnCallException.class, new Refusal(404, "not found", null));
        BY_EXCEPTION.put(PayloadTooLargeException.class, new Refusal(413, "rejected", null));
        BY_EXCEPTION.put(InvalidSentryPayloadException.class, new Refusal(400, "rejected", null));
        BY_EXCEPTION.put(InvalidSilenceException.class, new Refusal(400, "rejected", null));
        BY_EXCEPTION.put(UnknownSilenceException.class, new Refusal(404, "not found", null));
    }

    /** The failure's answer; a refusal wrapped in another exception is found among its causes. */
    public Refusal of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (Map.Entry<Class<? extends RuntimeException>, Refusal> known : BY_EXCEPTION.entrySet()) {
                if (known.getKey().isInstance(t)) {
                    return new Refusal(known.getValue().status(), known.getValue().kind(), t.getMessage());
                }
            }
        }
        return INTERNAL_ERROR;
    }
}
