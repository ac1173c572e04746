package io.github.sentrydingtalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import io.github.sentrydingtalk.security.HttpRefusals;

/**
 * Spring Boot only ({@link VertxIntakeGate} under camel-main). Tomcat opens the port before Camel has loaded the routes (they are added when the
 * Spring context is refreshed, after the web server started), and Spring would answer 404 there, which
 * Sentry never retries. Until {@link #open()} — once the routes run and the service is warmed up — and
 * again from {@link #close()} at the start of shutdown, every webhook and admin call gets 503 with
 * {@code Retry-After}, which Sentry does retry. Requests already past the gate finish normally.
 */
public class IntakeGate implements Filter {

    private final int retryAfterSeconds;
    private volatile boolean open;

    public IntakeGate(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public void open() {
        open = true;
    }

    public void close() {
        open = false;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (open) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(503);
        http.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        http.setContentType("application/json");
        // The body was not read: do not keep the connection for another request.
        http.setHeader("Connection", "close");
        http.getOutputStream().write(HttpRefusals.STARTING_OR_STOPPING.getBytes(StandardCharsets.UTF_8));
    }
}
