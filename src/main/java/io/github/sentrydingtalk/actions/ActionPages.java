package io.github.sentrydingtalk.actions;

/**
 * Every action page in words, by what happened. The link is added where one is known
 * ({@link SentryIssueApi#withIssueUrl}).
 */
public final class ActionPages {

    private ActionPages() {
    }

    /** The page of the {@link ActionRefusedException} behind this failure (Camel may wrap it); else {@link #broken}. */
    public static ActionPage of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ActionRefusedException refused) {
                return refused.getPage();
            }
        }
        return broken(null);
    }

    /** GET: what the button would do, and the form that does it. */
    public static ActionPage confirm(ActionToken token) {
        return new ActionPage(200, token.action().label() + "?", "The issue will be " + token.action().doneWords()
                + " in Sentry, for everyone.",
                token, true, null);
    }

    public static ActionPage done(ActionToken token) {
        return new ActionPage(200, "Done", "The issue is now " + token.action().doneWords() + ".", token, false, null);
    }

    /** Sentry says the issue is in that state already: nothing was changed. */
    public static ActionPage alreadyDone(ActionToken token) {
        return new ActionPage(200, "Already " + token.action().doneWords(),
                "Sentry says the issue is " + token.action().doneWords() + " already: nothing was changed.", token, false, null);
    }

    /** The link was used before: Sentry is not asked again. */
    public static ActionPage usedBefore(ActionToken token) {
        return new ActionPage(200, "Already done", "This link was used before: the issue was "
                + token.action().doneWords() + " then. Nothing was changed now.", token, false, null);
    }

    public static ActionPage tampered() {
        return new ActionPage(400, "This link is not valid",
                "It was changed or cut off, or it is not from this service. Nothing was changed. Open the issue in Sentry instead.",
                null, false, null);
    }

    public static ActionPage expired(ActionToken token) {
        return new ActionPage(410, "This link has expired",
                "Action links work for a limited time. Nothing was changed. Open the issue in Sentry instead.", token, false, null);
    }

    public static ActionPage refused(ActionToken token, int status) {
        return new ActionPage(502, "Sentry refused",
                "Sentry answered " + status + ": the service's API token lacks the event:write permission, or is no longer"
                        + " valid. Nothing was changed; ask whoever runs this service to fix its sentry.api-token.", token, false, null);
    }

    public static ActionPage notFound(ActionToken token) {
        return new ActionPage(404, "Issue not found",
                "Sentry does not know this issue (deleted or merged, or in another organization). Nothing was changed.",
                token, false, null);
    }

    public static ActionPage sentryFailed(ActionToken token, int status) {
        return new ActionPage(502, "Sentry failed",
                "Sentry answered " + status + ". Nothing was changed; try again in a minute.", token, false, null);
    }

    public static ActionPage unreachable(ActionToken token) {
        return new ActionPage(504, "Sentry unreachable",
                "The service could not reach Sentry (no connection, or no answer in time). Nothing was changed; try again"
                        + " in a minute.", token, false, null);
    }

    /** Anything unexpected: the details are in the log only. */
    public static ActionPage broken(ActionToken token) {
        return new ActionPage(500, "Something went wrong",
                "The service could not carry out the action. Nothing was changed, as far as it knows.", token, false, null);
    }
}
