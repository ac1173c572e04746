package io.github.sentrydingtalk.security;

/** The request body is over sentry.max-body-size: answered 413. */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(String reason) {
        super(reason, null, false, false);
    }
}
