package io.github.sentrydingtalk.security;

/** The caller did not prove who it is. The message is ours and safe to return: it never holds a secret. */
public class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String reason) {
        super(reason, null, false, false);
    }
}
