package io.github.sentrydingtalk.silences;

/**
 * A silence that cannot be: the message starts with the field at fault and is our own wording (it never
 * repeats the input), so it can go into the HTTP answer as it is (security.HttpRefusals: 400).
 */
public class InvalidSilenceException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidSilenceException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
