package io.github.sentrydingtalk.actions;

/**
 * What an action page shows (templates/actions/page.ftlh): the HTTP status, a heading and a sentence in
 * words, the issue when the link named one, and the form when the action is still to be confirmed.
 *
 * @param token  the link's contents, or null when it could not be read
 * @param form   true: the confirmation form (method POST) is shown
 * @param issueUrl the issue in Sentry, or null
 */
public record ActionPage(int status, String heading, String detail, ActionToken token, boolean form, String issueUrl) {

    /** The button's words on the form, the action's name elsewhere. */
    public String actionLabel() {
        return token == null ? null : token.action().label();
    }
}
