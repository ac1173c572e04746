package io.github.sentrydingtalk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.github.sentrydingtalk.security.PayloadTooLargeException;

/**
 * Spring Boot only. Reads each request body whole before Camel sees it, on Tomcat's own thread:
 * <ul>
 * <li>a body over {@code sentry.max-body-size} gets 413 before it is read (or as soon as it passes the
 * limit, when its length is not declared), so it never fills the heap;</li>
 * <li>a body not received within {@code sentry.body-read-timeout} gets 503 with {@code Retry-After}: a
 * client trickling its body cannot hold one of the few threads that run the routes, so slow clients
 * never delay Sentry's webhooks (Sentry allows them 1 second). 503 rather than 408 because Sentry
 * retries a 5xx, and a genuine delivery that was merely slow must not be dropped.</li>
 * </ul>
 * A body that stalls without a byte ends at Tomcat's socket timeout ({@code server.tomcat.connection-timeout},
 * 1 s), which Tomcat answers 408 itself: Sentry has given up on that request by then and retries it anyway.
 */
public class RequestSizeLimitFilter implements Filter {

    private final long maxBytes;
    private final long readTimeoutNanos;
    private final int retryAfterSeconds;

    public RequestSizeLimitFilter(long maxBytes, Duration readTimeout, int retryAfterSeconds) {
        this.maxBytes = maxBytes;
        this.readTimeoutNanos = readTimeout.toNanos();
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        long length = http.getContentLengthLong();
        if (length > maxBytes) {
            refuse(answer, 413, "rejected", PayloadTooLargeException.reason(maxBytes));
            return;
        }
        if (length <= 0 && http.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response); // no body
            return;
        }
        byte[] body;
        try {
            body = readWithin(http.getInputStream(), System.nanoTime() + readTimeoutNanos);
        } catch (BodyTooLarge e) {
            refuse(answer, 413, "rejected", PayloadTooLargeException.reason(maxBytes));
            return;
        } catch (IOException e) { // the deadline passed, or the client went away
            if (answer.isCommitted()) {
                return; // a read that stalled for server.tomcat.connection-timeout: Tomcat has answered 408
            }
            answer.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
            refuse(answer, 503, "unavailable", "request body not received within sentry.body-read-timeout ("
                    + readTimeoutNanos / 1_000_000 + " ms): nothing was accepted");
            answer.flushBuffer(); // committed: Tomcat's own error page cannot replace it
            return;
        }
        chain.doFilter(new ReadBody(http, body), response);
    }

    /** At most maxBytes, before the deadline; checked after every read, so a trickle ends too. */
    private byte[] readWithin(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            body.write(buffer, 0, n);
            if (body.size() > maxBytes) {
                throw new BodyTooLarge();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("deadline passed");
            }
        }
        return body.toByteArray();
    }

    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("body too large");
        }
    }

    private static void refuse(HttpServletResponse response, int status, String kind, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        // The rest of the body was not read: do not keep the connection for another request.
        response.setHeader("Connection", "close");
        response.getOutputStream().write(("{\"status\":\"" + kind + "\",\"reason\":\"" + reason + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The request with its body already read into memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }
    }
}
