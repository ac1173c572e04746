package io.github.sentrydingtalk.robots;

import java.util.ArrayList;
import java.util.List;

import io.github.sentrydingtalk.actions.ActionButtons;
import io.github.sentrydingtalk.dingtalk.DingTalkMessage;
import io.github.sentrydingtalk.dingtalk.MessageFinisher;
import io.github.sentrydingtalk.queue.Delivery;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Builds the DingTalk {@code markdown} message around the rendered template text.
 * <ul>
 * <li>{@link #title}: {@code 【project】 title}, prefixed with {@code 【keyword】} for keyword robots;</li>
 * <li>{@link #process}: the rendered text as a {@code markdown} message for the robot, finished by
 * {@link MessageFinisher} (keyword, @mentions including those for the alerts' levels, at most 20,000
 * bytes; the robot's on-call person too), written to the variables {@code dingtalkText}, {@code dingtalkBody} (JSON) and
 * {@code dingtalkMessage} (the same message, typed: the dingtalk-sink Kamelet takes it as it is). An issue alert
 * with {@link ActionButtons} becomes an {@code actionCard} with the same title and text instead.</li>
 * </ul>
 * Mentions come from configuration only, never from Sentry text.
 */
public class DingTalkMessageBuilder implements Processor {

    private int maxBytes = MessageFinisher.MAX_BYTES;
    private OnCallRota onCallRota;
    private ActionButtons actionButtons;

    /** DingTalk refuses bodies over 20,000 bytes (errcode 460101). */
    /** Whose turn it is on the robot's on-call rotation: @mentioned too. */
    public void setOnCallRota(OnCallRota onCallRota) {
        this.onCallRota = onCallRota;
    }

    /** Resolve / archive buttons for issue alerts (none when the service is not set up for them). */
    public void setActionButtons(ActionButtons actionButtons) {
        this.actionButtons = actionButtons;
    }

    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The title of a digest: what it holds, with the robot's keyword. */
    /** The alert's kind (issue, metric_alert, event_alert, ...), which picks its template. */
    public String kindOf(SentryAlert alert) {
        return alert.kind();
    }

    public String digestTitle(int count, Robot robot) {
        return withKeyword("Sentry: " + count + " more alerts", robot);
    }

    public String title(SentryAlert alert, Robot robot) {
        String project = alert.projectSlug() != null ? alert.projectSlug() : alert.projectName();
        String title = project == null ? alert.title() : "【" + project + "】 " + alert.title();
        return withKeyword(title, robot);
    }

    private static String withKeyword(String title, Robot robot) {
        return MessageFinisher.withKeyword(title, robot.sink().keyword());
    }

    @Override
    public void process(Exchange exchange) {
        Robot robot = exchange.getVariable("robot", Robot.class);
        String title = exchange.getVariable("dingtalkTitle", String.class);
        String rendered = tidy(exchange.getMessage().getBody(String.class));
        List<String> mobiles = new ArrayList<>(robot.mobilesFor(alerts(exchange)));
        List<String> userIds = new ArrayList<>();
        if (onCallRota != null) {
            mobiles.addAll(onCallRota.mobileOnDuty(robot));
            userIds.addAll(onCallRota.userIdOnDuty(robot));
        }
        DingTalkMessage.At at = new DingTalkMessage.At(mobiles, userIds, false);
        List<DingTalkMessage.Button> buttons = buttons(exchange, robot);
        DingTalkMessage message = buttons.isEmpty() ? DingTalkMessage.markdown(title, rendered, at)
                : new DingTalkMessage("actionCard", null, null,
                        new DingTalkMessage.ActionCard(title, rendered, "0", null, null, buttons), at);
        MessageFinisher.Finished finished = MessageFinisher.finished(message, robot.sink(), maxBytes);
        exchange.setVariable("dingtalkText", MessageFinisher.bodyText(finished.message()));
        exchange.setVariable("dingtalkBody", finished.json());
        exchange.setVariable("dingtalkMessage", finished.message());
    }

    /** A single alert's buttons; a digest has none. */
    private List<DingTalkMessage.Button> buttons(Exchange exchange, Robot robot) {
        Delivery delivery = exchange.getVariable("delivery", Delivery.class);
        if (actionButtons == null || delivery != null && delivery.isDigest()) {
            return List.of();
        }
        return actionButtons.buttonsFor(exchange.getVariable("alert", SentryAlert.class), robot);
    }

    /** The alerts this message is about: a digest's, or the single one. */
    private static List<SentryAlert> alerts(Exchange exchange) {
        Delivery delivery = exchange.getVariable("delivery", Delivery.class);
        if (delivery != null && delivery.isDigest()) {
            return delivery.getAlerts();
        }
        SentryAlert alert = exchange.getVariable("alert", SentryAlert.class);
        return alert == null ? List.of() : List.of(alert);
    }

    /** Templates stay readable when their blank lines don't matter: at most one blank line in a row. */
    static String tidy(String rendered) {
        return rendered.replaceAll("[ \\t]+(?=\\n)", "").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
