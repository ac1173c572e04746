package io.github.sentrydingtalk.actions;

/**
 * An action that was not carried out, with the page that says why (routes/actions.camel.yaml answers it).
 * Its message is the page's heading and detail: never a token, signature or API token.
 */
public class ActionRefusedException extends RuntimeException {

    private final transient ActionPage page;

    public ActionRefusedException(ActionPage page) {
        super(page.heading() + ": " + page.detail());
        this.page = page;
    }

    public ActionPage getPage() {
        return page;
    }
}
