package io.github.sentrydingtalk.dingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Bounds every HTTP attempt to DingTalk (the {@code http} endpoint's {@code httpClientConfigurer}).
 * <ul>
 * <li>A total deadline from the start of the attempt to the last byte of the answer: the client's own
 * response timeout restarts on every byte, so an answer that trickles would hold a delivery thread
 * for ever. At the deadline the connection is closed and the attempt fails with a timeout.</li>
 * <li>An answer is read at most {@link #MAX_ANSWER_BYTES} far, then cut off: camel-http would read it
 * whole (into memory) before anyone looks at it.</li>
 * </ul>
 * Both failures are {@link IOException}s, so they count as attempts that got no answer.
 */
public class HttpAttemptLimits implements HttpClientConfigurer {

    /** DingTalk answers with a few dozen bytes of JSON. */
    public static final long MAX_ANSWER_BYTES = 1024 * 1024;

    /**
     * One deadline thread for every robot (each Kamelet instance has its own limits): a thread each would
     * be woken twice per message (deadline set, deadline cancelled), and would outlive a removed route.
     */
    private static final ScheduledThreadPoolExecutor TIMER = deadlineTimer();

    private long deadlineMillis = 10_000;

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "dingtalk-http-deadline");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** {@code dingtalk.http.deadline}: milliseconds from connecting to the answer's last byte. */
    public void setDeadline(long deadlineMillis) {
        if (deadlineMillis <= 0) {
            throw new IllegalArgumentException("dingtalk.http.deadline must be a positive number of milliseconds"
                    + " (e.g. 10000), not " + deadlineMillis);
        }
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // first: around everything else, so the deadline covers getting a connection, connecting and the answer
        builder.addExecInterceptorFirst("dingtalk-attempt-limits", this::execute);
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Attempt attempt = new Attempt(scope.execRuntime);
        attempt.expiry = TIMER.schedule(attempt::expire, deadlineMillis, TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                attempt.done();
            } else if (entity.getContentLength() > MAX_ANSWER_BYTES) {
                attempt.cutOff();
                throw new AnswerTooLargeException(MAX_ANSWER_BYTES);
            } else {
                response.setEntity(new CappedEntity(entity, attempt));
            }
            return response;
        } catch (IOException e) {
            attempt.done();
            throw attempt.failure(e);
        } catch (HttpException | RuntimeException e) {
            attempt.done();
            throw e;
        }
    }

    /** One attempt's deadline, and the connection it cuts. */
    private final class Attempt implements CappedAnswerStream.Attempt {
        private final ExecRuntime runtime;
        private final AtomicBoolean expired = new AtomicBoolean();
        private volatile ScheduledFuture<?> expiry;

        Attempt(ExecRuntime runtime) {
            this.runtime = runtime;
        }

        /** The deadline passed: closing the connection ends any read in progress. */
        void expire() {
            expired.set(true);
            runtime.discardEndpoint();
        }

        @Override
        public void cutOff() {
            done();
            runtime.discardEndpoint();
        }

        @Override
        public void done() {
            expiry.cancel(false);
        }

        @Override
        public IOException failure(IOException readFailure) {
            if (!expired.get() || readFailure instanceof AnswerTooLargeException) {
                return readFailure;
            }
            SocketTimeoutException timeout = new SocketTimeoutException("no complete answer within "
                    + deadlineMillis + " ms (dingtalk.http.deadline)");
            timeout.initCause(readFailure);
            return timeout;
        }
    }

    /** The answer's body, read through a {@link CappedAnswerStream} (one per answer). */
    private final class CappedEntity extends HttpEntityWrapper {
        private final Attempt attempt;
        private InputStream content;

        CappedEntity(HttpEntity entity, Attempt attempt) {
            super(entity);
            this.attempt = attempt;
        }

        @Override
        public synchronized InputStream getContent() throws IOException {
            if (content == null) {
                InputStream raw = super.getContent();
                content = raw == null ? null : new CappedAnswerStream(raw, MAX_ANSWER_BYTES, attempt);
                if (raw == null) {
                    attempt.done();
                }
            }
            return content;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                attempt.done();
            }
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                if (in != null) {
                    in.transferTo(out);
                }
            }
        }
    }
}
