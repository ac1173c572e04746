package io.github.sentrydingtalk.dingtalk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.queue.Delivery;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Builds the DingTalk {@code markdown} message around the rendered template text.
 * <ul>
 * <li>{@link #title}: {@code 【project】 title}, prefixed with {@code 【keyword】} for keyword robots;</li>
 * <li>{@link #process}: appends the @mentions (DingTalk only notifies a mobile that also appears in
 * the text) and writes the JSON body to the variable {@code dingtalkBody}.</li>
 * </ul>
 * Mentions come from configuration only, never from Sentry text.
 */
public class DingTalkMessageBuilder implements Processor {

    private final ObjectMapper mapper = new ObjectMapper();
    private int maxBytes = 20_000;

    /** DingTalk refuses bodies over 20,000 bytes (errcode 460101). */
    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The title of a digest: what it holds, with the robot's keyword. */
    public String digestTitle(int count, Robot robot) {
        return withKeyword("Sentry: " + count + " more alerts", robot);
    }

    public String title(SentryAlert alert, Robot robot) {
        String project = alert.projectSlug() != null ? alert.projectSlug() : alert.projectName();
        String title = project == null ? alert.title() : "【" + project + "】 " + alert.title();
        return withKeyword(title, robot);
    }

    private static String withKeyword(String title, Robot robot) {
        String keyword = robot.keyword();
        return keyword != null && !title.contains(keyword) ? "【" + keyword + "】" + title : title;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Robot robot = exchange.getVariable("robot", Robot.class);
        String title = exchange.getVariable("dingtalkTitle", String.class);
        List<String> mobiles = robot.mobilesFor(alerts(exchange));
        String rendered = tidy(exchange.getMessage().getBody(String.class));
        String text = withMentions(rendered, mobiles, robot.atUserIds());
        String body = json(title, text, mobiles, robot);
        int overflow = body.getBytes(StandardCharsets.UTF_8).length - maxBytes;
        if (overflow > 0) {
            text = withMentions(MessageTruncator.shorten(rendered, overflow), mobiles, robot.atUserIds());
            body = json(title, text, mobiles, robot);
        }
        exchange.setVariable("dingtalkText", text);
        exchange.setVariable("dingtalkBody", body);
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

    private String json(String title, String text, List<String> mobiles, Robot robot) throws JsonProcessingException {
        Map<String, Object> markdown = new LinkedHashMap<>();
        markdown.put("title", title);
        markdown.put("text", text);
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("atMobiles", mobiles);
        at.put("atUserIds", robot.atUserIds());
        at.put("isAtAll", robot.atAll());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("msgtype", "markdown");
        message.put("markdown", markdown);
        message.put("at", at);
        return mapper.writeValueAsString(message);
    }

    /** Templates stay readable when their blank lines don't matter: at most one blank line in a row. */
    static String tidy(String rendered) {
        return rendered.replaceAll("[ \\t]+(?=\\n)", "").replaceAll("\\n{3,}", "\n\n").strip();
    }

    static String withMentions(String text, List<String> mobiles, List<String> userIds) {
        List<String> mentions = new ArrayList<>();
        mobiles.forEach(m -> mentions.add("@" + m));
        userIds.forEach(id -> mentions.add("@" + id));
        return mentions.isEmpty() ? text : text + "\n\n" + String.join(" ", mentions);
    }
}
