package io.github.sentrydingtalk.sentry;

/**
 * The request cannot be an alert. The message is our own wording (never a parser message, which
 * may echo input) so it can go into the HTTP answer as it is.
 */
public class InvalidSentryPayloadException extends RuntimeException {
    public InvalidSentryPayloadException(String reason) {
        super(reason, null, false, false);
    }
}
