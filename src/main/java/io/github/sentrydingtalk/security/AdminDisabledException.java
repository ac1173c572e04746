package io.github.sentrydingtalk.security;

/** The admin endpoints answer 404 until admin.token is set. */
public class AdminDisabledException extends RuntimeException {
    public AdminDisabledException() {
        super("admin endpoints are off: set admin.token to use them", null, false, false);
    }
}
