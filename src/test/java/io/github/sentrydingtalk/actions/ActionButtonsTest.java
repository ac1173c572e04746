package io.github.sentrydingtalk.actions;

import java.util.List;
import java.util.Map;

import io.github.sentrydingtalk.dingtalk.DingTalkMessage;
import io.github.sentrydingtalk.dingtalk.DingTalkSink;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionButtonsTest extends ActionTokensSupport {

    static final SentryAlert ISSUE = SentryAlert.builder().kind("issue").issueId("42").title("Boom")
            .link("https://sentry.example.com/organizations/acme/issues/42/").build();

    private ActionButtons buttons(String publicUrl, String apiToken) throws Exception {
        started("k", java.time.Instant.now());
        SentryIssueApi api = new SentryIssueApi();
        api.setApiToken(apiToken);
        api.setOrganization("acme");
        ActionButtons buttons = new ActionButtons();
        buttons.setPublicUrl(publicUrl);
        buttons.setSentryIssueApi(api);
        buttons.setActionTokens(tokens);
        return buttons;
    }

    private static Robot robot(boolean buttons, boolean nextRelease) {
        return new Robot("ops", new DingTalkSink("t", null, null, List.of(), List.of(), false), null, Map.of(), null,
                false, List.of(), null, buttons, nextRelease);
    }

    @Test
    void openResolveArchiveAndTheOptIn() throws Exception {
        List<DingTalkMessage.Button> found = buttons("https://alerts.example.com/", "tok").buttonsFor(ISSUE, robot(true, true));
        assertThat(found).extracting(DingTalkMessage.Button::title)
                .containsExactly("Open in Sentry", "Resolve", "Archive", "Resolve in next release");
        assertThat(found.get(0).actionURL()).isEqualTo(ISSUE.link());
        assertThat(found.subList(1, 4)).allSatisfy(b -> assertThat(b.actionURL()).startsWith("https://alerts.example.com/actions/"));
        assertThat(tokens.read(found.get(3).actionURL().substring("https://alerts.example.com/actions/".length())).action())
                .isEqualTo(IssueAction.RESOLVE_IN_NEXT_RELEASE);
        assertThat(buttons("https://alerts.example.com", "tok").buttonsFor(ISSUE, robot(true, false))).hasSize(3);
    }

    @Test
    void withoutALinkOpenGoesToTheIssueInSentry() throws Exception {
        SentryAlert noLink = ISSUE.toBuilder().link(null).build();
        assertThat(buttons("https://a", "tok").buttonsFor(noLink, robot(true, false)).get(0).actionURL())
                .isEqualTo("https://sentry.io/organizations/acme/issues/42/");
    }

    @Test
    void noneWithoutSetupRobotOptOutOrIssue() throws Exception {
        assertThat(buttons("", "tok").buttonsFor(ISSUE, robot(true, false))).isEmpty();
        assertThat(buttons("https://a", "").buttonsFor(ISSUE, robot(true, false))).isEmpty();
        assertThat(buttons("https://a", "tok").buttonsFor(ISSUE, robot(false, true))).isEmpty();
        assertThat(buttons("https://a", "tok").buttonsFor(ISSUE.toBuilder().issueId(null).build(), robot(true, false))).isEmpty();
        assertThat(buttons("https://a", "tok").buttonsFor(null, robot(true, false))).isEmpty();
    }
}
