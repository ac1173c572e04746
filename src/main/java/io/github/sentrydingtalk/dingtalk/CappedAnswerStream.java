package io.github.sentrydingtalk.dingtalk;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * DingTalk's answer as the HTTP client hands it on, read at most {@code maxBytes} far: one byte more
 * cuts the connection and fails the read, so no answer is ever held whole in memory. {@code done}
 * runs once, at the end of the answer or when the stream is closed (the attempt's deadline is over).
 */
final class CappedAnswerStream extends FilterInputStream {

    /** What the stream asks of the attempt it belongs to. */
    interface Attempt {
        /** Stops the attempt: the connection is closed and not reused. */
        void cutOff();

        /** The answer was read or given up: no deadline needed any more. */
        void done();

        /** The failure to report for a read that failed: a timeout if the deadline passed. */
        IOException failure(IOException readFailure);
    }

    private final Attempt attempt;
    private final long maxBytes;
    private long count;

    CappedAnswerStream(InputStream in, long maxBytes, Attempt attempt) {
        super(in);
        this.maxBytes = maxBytes;
        this.attempt = attempt;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw attempt.failure(e);
        }
        return counted(b < 0 ? -1 : 1) < 0 ? -1 : b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            throw attempt.failure(e);
        }
        return counted(n);
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    private int counted(int n) throws IOException {
        if (n < 0) {
            attempt.done();
            return n;
        }
        count += n;
        if (count > maxBytes) {
            attempt.cutOff();
            throw new AnswerTooLargeException(maxBytes);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } catch (IOException e) {
            throw attempt.failure(e);
        } finally {
            attempt.done();
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
