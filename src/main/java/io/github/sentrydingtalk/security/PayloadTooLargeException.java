package io.github.sentrydingtalk.security;

/** The request body is over sentry.max-body-size: answered 413, with this reason on every runtime. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long maxBytes) {
        super(reason(maxBytes), null, false, false);
    }

    /** The 413's reason, also for the Spring Boot servlet filter that refuses before Camel sees the body. */
    public static String reason(long maxBytes) {
        return "body larger than sentry.max-body-size (" + maxBytes + " bytes)";
    }
}
