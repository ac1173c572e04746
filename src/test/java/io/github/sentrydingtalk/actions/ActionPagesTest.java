package io.github.sentrydingtalk.actions;

import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionPagesTest {

    static final ActionToken ARCHIVE = new ActionToken("42", IssueAction.ARCHIVE, "api", "Boom", "error", 0, "k");

    @Test
    void onlyTheConfirmationHasTheForm() {
        assertThat(ActionPages.confirm(ARCHIVE)).extracting(ActionPage::status, ActionPage::heading, ActionPage::form,
                ActionPage::actionLabel).containsExactly(200, "Archive?", true, "Archive");
        for (ActionPage page : new ActionPage[] {ActionPages.done(ARCHIVE), ActionPages.alreadyDone(ARCHIVE),
                ActionPages.usedBefore(ARCHIVE), ActionPages.tampered(), ActionPages.expired(ARCHIVE),
                ActionPages.refused(ARCHIVE, 401), ActionPages.notFound(ARCHIVE), ActionPages.sentryFailed(ARCHIVE, 500),
                ActionPages.unreachable(ARCHIVE), ActionPages.broken(null)}) {
            assertThat(page.form()).as(page.heading()).isFalse();
        }
        assertThat(ActionPages.done(ARCHIVE).detail()).isEqualTo("The issue is now archived until it escalates.");
        assertThat(ActionPages.alreadyDone(ARCHIVE).heading()).isEqualTo("Already archived until it escalates");
        assertThat(ActionPages.expired(ARCHIVE).status()).isEqualTo(410);
        assertThat(ActionPages.unreachable(ARCHIVE).heading()).isEqualTo("Sentry unreachable");
    }

    @Test
    void aRefusalIsFoundBehindCamelsWrapping() {
        ActionRefusedException refused = new ActionRefusedException(ActionPages.tampered());
        assertThat(ActionPages.of(new RuntimeCamelException(refused)).status()).isEqualTo(400);
        assertThat(ActionPages.of(new IllegalStateException("x")).status()).isEqualTo(500);
    }

    @Test
    void actionsByTheirSlug() {
        for (IssueAction action : IssueAction.values()) {
            assertThat(IssueAction.bySlug(action.slug())).contains(action);
        }
        assertThat(IssueAction.bySlug("delete")).isEmpty();
        assertThat(IssueAction.RESOLVE_IN_NEXT_RELEASE.sentryBody()).isEqualTo("{\"status\":\"resolvedInNextRelease\"}");
    }
}
