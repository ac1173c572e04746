package io.github.sentrydingtalk.actions;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SentryIssueApiTest {

    static final ActionToken TOKEN = new ActionToken("42", IssueAction.RESOLVE, "api", "Boom", "error", 0, "k");

    private static SentryIssueApi api(String baseUrl) {
        SentryIssueApi api = new SentryIssueApi();
        api.setBaseUrl(baseUrl);
        api.setApiToken(" sntrys_unit-9 ");
        api.setOrganization("acme");
        return api;
    }

    @Test
    void urlsUnderTheBaseUrlOrSentryIo() {
        assertThat(api("https://sentry.example.com/").issueApiUrl("42"))
                .isEqualTo("https://sentry.example.com/api/0/organizations/acme/issues/42/");
        assertThat(api("").issueApiUrl("42")).isEqualTo("https://sentry.io/api/0/organizations/acme/issues/42/");
        assertThat(api(null).issueWebUrl("42")).isEqualTo("https://sentry.io/organizations/acme/issues/42/");
        assertThat(api("").withIssueUrl(ActionPages.done(TOKEN)).issueUrl()).isEqualTo("https://sentry.io/organizations/acme/issues/42/");
        assertThat(api("").withIssueUrl(ActionPages.tampered()).issueUrl()).isNull();
    }

    @Test
    void configuredOnlyWithTokenAndOrganization() {
        assertThat(api("").isConfigured()).isTrue();
        SentryIssueApi none = new SentryIssueApi();
        none.setApiToken("tok");
        assertThat(none.isConfigured()).isFalse();
    }

    @Test
    void theRequestCarriesOnlyTheBearerTokenAndJson() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Cookie", "phone's");
        exchange.getMessage().setHeader("token", "the link");
        api("").process(exchange);
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys("Authorization", "Accept", "Content-Type")
                .containsEntry("Authorization", "Bearer sntrys_unit-9");
    }

    @Test
    void sentrysAnswersInWords() {
        api("").checkAnswer(200, TOKEN);
        api("").checkAnswer(204, TOKEN);
        assertThat(pageFor(401)).extracting(ActionPage::status, ActionPage::heading).containsExactly(502, "Sentry refused");
        assertThat(pageFor(403).detail()).contains("event:write");
        assertThat(pageFor(404)).extracting(ActionPage::status, ActionPage::heading).containsExactly(404, "Issue not found");
        assertThat(pageFor(503)).extracting(ActionPage::status, ActionPage::heading).containsExactly(502, "Sentry failed");
        assertThat(pageFor(503).detail()).contains("503");
    }

    @Test
    void alreadyDoneByTheIssuesStatus() {
        SentryIssueApi api = api("");
        assertThat(api.isAlreadyDone("{\"status\":\"resolved\"}", TOKEN)).isTrue();
        assertThat(api.isAlreadyDone("{\"status\":\"unresolved\"}", TOKEN)).isFalse();
        ActionToken archive = new ActionToken("42", IssueAction.ARCHIVE, null, null, null, 0, "k");
        assertThat(api.isAlreadyDone("{\"status\":\"ignored\"}", archive)).isTrue();
        assertThat(api.isAlreadyDone("{\"status\":\"resolved\"}", archive)).isFalse();
        assertThat(api.isAlreadyDone("not json", TOKEN)).isFalse();
        assertThat(api.isAlreadyDone(null, TOKEN)).isFalse();
    }

    private static ActionPage pageFor(int status) {
        try {
            api("").checkAnswer(status, TOKEN);
        } catch (ActionRefusedException e) {
            assertThat(e.getMessage()).doesNotContain("sntrys_unit-9");
            return e.getPage();
        }
        throw new AssertionError("no page for " + status);
    }
}
