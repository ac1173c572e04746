package io.github.sentrydingtalk.silences;

/** No silence has that id (security.HttpRefusals: 404). */
public class UnknownSilenceException extends RuntimeException {
    public UnknownSilenceException() {
        super("no silence with that id", null, false, false);
    }
}
