package io.github.sentrydingtalk.dingtalk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CappedAnswerStreamTest {

    /** Records what the stream asked of its attempt. */
    static final class RecordingAttempt implements CappedAnswerStream.Attempt {
        final List<String> calls = new ArrayList<>();

        @Override
        public void cutOff() {
            calls.add("cutOff");
        }

        @Override
        public void done() {
            calls.add("done");
        }

        @Override
        public IOException failure(IOException readFailure) {
            calls.add("failure");
            return new IOException("as reported: " + readFailure.getMessage());
        }
    }

    @Test
    void anAnswerWithinTheCapPassesUnchangedAndEndsTheAttemptAtItsEnd() throws IOException {
        RecordingAttempt attempt = new RecordingAttempt();
        try (InputStream in = new CappedAnswerStream(new ByteArrayInputStream("{\"errcode\":0}".getBytes()), 13, attempt)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("{\"errcode\":0}");
            assertThat(attempt.calls).containsExactly("done");
        }
        assertThat(attempt.calls).containsExactly("done", "done");
    }

    @Test
    void oneByteMoreThanTheCapCutsTheConnectionAndFailsTheRead() {
        RecordingAttempt attempt = new RecordingAttempt();
        InputStream in = new CappedAnswerStream(new ByteArrayInputStream(new byte[100]), 10, attempt);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(AnswerTooLargeException.class)
                .hasMessage("the answer is larger than 10 bytes, so it is not DingTalk's: cut off");
        assertThat(attempt.calls).containsExactly("cutOff");
    }

    @Test
    void singleByteReadsAreCountedToo() throws IOException {
        RecordingAttempt attempt = new RecordingAttempt();
        InputStream in = new CappedAnswerStream(new ByteArrayInputStream(new byte[3]), 2, attempt);
        in.read();
        in.read();
        assertThatThrownBy(in::read).isInstanceOf(AnswerTooLargeException.class);
    }

    @Test
    void aFailedReadIsReportedAsTheAttemptSaysAndCloseStillEndsTheAttempt() throws IOException {
        RecordingAttempt attempt = new RecordingAttempt();
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketException("Socket closed");
            }
        };
        InputStream in = new CappedAnswerStream(broken, 10, attempt);
        assertThatThrownBy(() -> in.read(new byte[4])).hasMessage("as reported: Socket closed");
        in.close();
        assertThat(attempt.calls).containsExactly("failure", "done");
    }
}
