package io.github.sentrydingtalk.dingtalk;

import java.io.IOException;

/** DingTalk's answer (or whatever answered in its place) is larger than any real answer: cut off. */
public class AnswerTooLargeException extends IOException {
    public AnswerTooLargeException(long maxBytes) {
        super("the answer is larger than " + maxBytes + " bytes, so it is not DingTalk's: cut off");
    }
}
