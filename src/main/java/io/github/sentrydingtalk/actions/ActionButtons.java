package io.github.sentrydingtalk.actions;

import java.util.ArrayList;
import java.util.List;

import io.github.sentrydingtalk.dingtalk.DingTalkMessage;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * The buttons of an issue alert's action card: Open in Sentry, Resolve, Archive (until escalating), and
 * Resolve in next release for robots that opt in. Each action button opens {@code {notify.public-url}/actions/{token}}.
 * None (a Markdown message, as before) unless notify.public-url, sentry.api-token and sentry.organization are
 * all set, the robot has {@code buttons} on, and the alert names a Sentry issue.
 */
public class ActionButtons {

    private String publicUrl = "";
    private SentryIssueApi sentryIssueApi;
    private ActionTokens actionTokens;

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl == null ? "" : publicUrl.strip().replaceAll("/+$", "");
    }

    public void setSentryIssueApi(SentryIssueApi sentryIssueApi) {
        this.sentryIssueApi = sentryIssueApi;
    }

    public void setActionTokens(ActionTokens actionTokens) {
        this.actionTokens = actionTokens;
    }

    /** Whether the service is set up for buttons at all. */
    public boolean isEnabled() {
        return !publicUrl.isEmpty() && sentryIssueApi != null && sentryIssueApi.isConfigured();
    }

    /** The buttons for this alert on this robot; empty: send it as Markdown. */
    public List<DingTalkMessage.Button> buttonsFor(SentryAlert alert, Robot robot) {
        if (!isEnabled() || !robot.buttons() || alert == null || alert.issueId() == null) {
            return List.of();
        }
        List<DingTalkMessage.Button> buttons = new ArrayList<>();
        String open = alert.link() != null ? alert.link() : sentryIssueApi.issueWebUrl(alert.issueId());
        buttons.add(new DingTalkMessage.Button("Open in Sentry", open));
        buttons.add(button(alert, IssueAction.RESOLVE));
        buttons.add(button(alert, IssueAction.ARCHIVE));
        if (robot.resolveInNextRelease()) {
            buttons.add(button(alert, IssueAction.RESOLVE_IN_NEXT_RELEASE));
        }
        return buttons;
    }

    private DingTalkMessage.Button button(SentryAlert alert, IssueAction action) {
        return new DingTalkMessage.Button(action.label(), publicUrl + "/actions/" + actionTokens.create(alert, action));
    }
}
