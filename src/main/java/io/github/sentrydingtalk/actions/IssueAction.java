package io.github.sentrydingtalk.actions;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an action button does to a Sentry issue: the body of {@code PUT /api/0/organizations/{org}/issues/{id}/}
 * (Sentry's "Update an Issue") and the status that means it is done already.
 */
public enum IssueAction {

    RESOLVE("resolve", "Resolve", "resolved", "{\"status\":\"resolved\"}", "resolved"),
    ARCHIVE("archive", "Archive", "archived until it escalates",
            "{\"status\":\"ignored\",\"substatus\":\"archived_until_escalating\",\"statusDetails\":{}}", "ignored"),
    RESOLVE_IN_NEXT_RELEASE("resolve-in-next-release", "Resolve in next release", "resolved in the next release",
            "{\"status\":\"resolvedInNextRelease\"}", "resolved");

    private final String slug;
    private final String label;
    private final String doneWords;
    private final String sentryBody;
    private final String doneStatus;

    IssueAction(String slug, String label, String doneWords, String sentryBody, String doneStatus) {
        this.slug = slug;
        this.label = label;
        this.doneWords = doneWords;
        this.sentryBody = sentryBody;
        this.doneStatus = doneStatus;
    }

    /** The name in a token. */
    public String slug() {
        return slug;
    }

    /** The button's words. */
    public String label() {
        return label;
    }

    /** "The issue is now …". */
    public String doneWords() {
        return doneWords;
    }

    /** The JSON Sentry's API takes for it. */
    public String sentryBody() {
        return sentryBody;
    }

    /** Whether an issue with this Sentry status ({@code resolved}, {@code ignored}, …) needs nothing more. */
    public boolean isDoneAt(String status) {
        return doneStatus.equals(status);
    }

    public static Optional<IssueAction> bySlug(String slug) {
        return Arrays.stream(values()).filter(a -> a.slug.equals(slug)).findFirst();
    }
}
