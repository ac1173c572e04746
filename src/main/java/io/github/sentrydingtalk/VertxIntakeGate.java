package io.github.sentrydingtalk;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sentrydingtalk.security.HttpRefusals;
import io.github.sentrydingtalk.security.PayloadTooLargeException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * camel-main only: what {@link IntakeGate} is under Spring Boot, in front of the Vert.x routes. The
 * server listens before the routes have started and until they have stopped; a webhook there would get
 * 404, which Sentry never retries. Until {@link #open()} (the routes run, the warm-up is over) and again
 * from {@link #close()} (shutdown begins), webhook and admin calls get 503 with {@code Retry-After}, which
 * Sentry retries; requests already past the gate finish normally.
 * <p>
 * It also refuses what must not be read: a body declared larger than {@code sentry.max-body-size} gets 413
 * before a byte of it is read (the webhook route streams its body, so Vert.x's own body limit does not
 * apply there), and a body of undeclared length (chunked) gets 411: the gate cannot count a stream it
 * hands on, and Sentry always declares the length.
 * <p>
 * It is an {@link AuthenticationHandler} only because that is the one kind of handler Camel's Vert.x
 * server mounts before it opens its port ({@code VertxPlatformHttpServerConfiguration.getAuthenticationConfig()}).
 * {@link #readiness()} is the same state as a Camel readiness check: {@code /observe/health/ready} is
 * DOWN exactly while the gate is closed.
 */
public class VertxIntakeGate implements AuthenticationHandler {

    private final int retryAfterSeconds;
    private final long maxBodyBytes;
    private volatile boolean open;
    private final AtomicLong refusedWhileClosed = new AtomicLong();

    public VertxIntakeGate(int retryAfterSeconds, long maxBodyBytes) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void open() {
        open = true;
    }

    public void close() {
        open = false;
    }

    @Override
    public void handle(RoutingContext request) {
        if (!open) {
            refusedWhileClosed.incrementAndGet();
            refuse(request.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds)), 503,
                    HttpRefusals.STARTING_OR_STOPPING);
            return;
        }
        String length = request.request().getHeader("Content-Length");
        if (length == null && mayCarryUndeclaredBody(request.request())) {
            refuse(request.response(), 411, refusal("rejected", "a request body must declare its length (Content-Length)"));
            return;
        }
        if (length != null && declaredBytes(length) > maxBodyBytes) {
            refuseTooLarge(request.response());
            return;
        }
        request.next();
    }

    /** Requests answered 503 because the gate was closed: a probe of the port counts on it reaching this gate. */
    public long refusedWhileClosed() {
        return refusedWhileClosed.get();
    }

    /** 413 with the same JSON the routes give; also Vert.x's answer when a body passes its own limit. */
    public void refuseTooLarge(HttpServerResponse response) {
        refuse(response, 413, refusal("rejected", PayloadTooLargeException.reason(maxBodyBytes)));
    }

    /**
     * HTTP/1.1 says so (Transfer-Encoding); HTTP/2 (h2c, which Java's HttpClient asks for) has no such
     * header, so there a POST, PUT or PATCH without a length counts as one. A bodyless POST over HTTP/1.1
     * ({@code curl -X POST}) has neither and passes.
     */
    private static boolean mayCarryUndeclaredBody(HttpServerRequest request) {
        if (request.getHeader("Transfer-Encoding") != null) {
            return true;
        }
        HttpMethod method = request.method();
        return request.version() == HttpVersion.HTTP_2
                && (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH);
    }

    private static void refuse(HttpServerResponse response, int status, String json) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                // the body was not read: do not keep the connection for another request
                .putHeader("Connection", "close")
                .end(json);
    }

    private static String refusal(String kind, String reason) {
        return "{\"status\":\"" + kind + "\",\"reason\":\"" + reason + "\"}";
    }

    /** A length that is not a number is taken as too large: nothing sensible follows it. */
    private static long declaredBytes(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A readiness check (not liveness: a restart cannot make a service that is starting start sooner). */
    public AbstractHealthCheck readiness() {
        return new AbstractHealthCheck("sentry-dingtalk", "intake") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                if (open) {
                    builder.up();
                } else {
                    builder.message("the service is starting or stopping: webhooks get 503").down();
                }
            }
        };
    }
}
