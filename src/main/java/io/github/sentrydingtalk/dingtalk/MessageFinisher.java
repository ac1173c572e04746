package io.github.sentrydingtalk.dingtalk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.common.CommaList;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Makes a message ready for one robot, the same way however often it runs:
 * <ul>
 * <li>the robot's keyword goes in front of the title ({@code 【keyword】title}; the content of a
 * {@code text} message) unless it is already there;</li>
 * <li>the robot's mentions join the message's own {@code at}, and for {@code markdown} and
 * {@code actionCard} the text ends with {@code @mobile @userId} (DingTalk notifies only those the text
 * names) unless it already does;</li>
 * <li>a message over DingTalk's 20,000 bytes is shortened ({@link MessageTruncator}: heading and link
 * lines kept, longest lines cut first), keyword and mentions kept.</li>
 * </ul>
 * As a processor (in the dingtalk-sink Kamelet) it takes the body as a {@link DingTalkMessage}, a
 * DingTalk message in JSON ({@code {"msgtype":…}}) or Markdown text (then {@link #setTitle title} is its title) and leaves the
 * finished JSON as the body; for an app robot ({@link #setMode mode app}), the finished {@link AppRobotMessage},
 * its msgParam at most {@link AppRobotMessage#MAX_MSG_PARAM_BYTES}.
 */
public class MessageFinisher implements Processor {

    /** DingTalk refuses bodies over 20,000 bytes (errcode 460101). */
    public static final int MAX_BYTES = 20_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> MSGTYPES = Set.of("markdown", "text", "actionCard");

    private String keyword;
    private List<String> atMobiles = List.of();
    private List<String> atUserIds = List.of();
    private boolean atAll;
    private String title;
    private boolean appRobot;

    /** {@code webhook} (a custom robot: the JSON body) or {@code app} (the body becomes an {@link AppRobotMessage}). */
    public void setMode(String mode) {
        if (!"webhook".equals(mode) && !"app".equals(mode)) {
            throw new IllegalArgumentException("mode must be webhook or app, not '" + mode + "'");
        }
        this.appRobot = "app".equals(mode);
    }

    public void setKeyword(String keyword) {
        this.keyword = keyword;
    }

    /** Comma list of mobiles to @mention. */
    public void setAtMobiles(String atMobiles) {
        this.atMobiles = CommaList.parse(atMobiles);
    }

    /** Comma list of DingTalk user ids to @mention. */
    public void setAtUserIds(String atUserIds) {
        this.atUserIds = CommaList.parse(atUserIds);
    }

    public void setAtAll(boolean atAll) {
        this.atAll = atAll;
    }

    /** The title of a Markdown body; without one, its first line. */
    public void setTitle(String title) {
        this.title = title;
    }

    /** The body: a {@link DingTalkMessage} as it is, else JSON or Markdown text ({@link #read}). */
    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        DingTalkMessage message = body instanceof DingTalkMessage typed ? checked(typed)
                : read(exchange.getMessage().getBody(String.class));
        DingTalkSink sink = new DingTalkSink(null, null, keyword, atMobiles, atUserIds, atAll);
        if (appRobot) {
            Finished finished = finished(message, sink, AppRobotMessage.MAX_MSG_PARAM_BYTES, AppRobotMessage::msgParam);
            exchange.getMessage().setBody(new AppRobotMessage(AppRobotMessage.msgKey(finished.message()), finished.json()));
        } else {
            exchange.getMessage().setBody(finished(message, sink, MAX_BYTES).json());
        }
    }

    /** A message in JSON, or Markdown text to send as a {@code markdown} message. */
    DingTalkMessage read(String body) {
        if (body == null || body.isBlank()) {
            throw new PermanentDeliveryException("nothing to send: the body is empty", 0, null, null);
        }
        if (!body.stripLeading().startsWith("{")) {
            return DingTalkMessage.markdown(title != null && !title.isBlank() ? title : firstLine(body), body, null);
        }
        DingTalkMessage message;
        try {
            message = MAPPER.readValue(body, DingTalkMessage.class);
        } catch (JsonProcessingException e) {
            throw new PermanentDeliveryException("not a DingTalk message: " + e.getOriginalMessage(), 0, null, null);
        }
        return checked(message);
    }

    private static DingTalkMessage checked(DingTalkMessage message) {
        if (message.msgtype() == null || !MSGTYPES.contains(message.msgtype()) || bodyText(message) == null) {
            throw new PermanentDeliveryException("not a DingTalk message: msgtype must be markdown, text or actionCard,"
                    + " with its part (" + message.msgtype() + ") filled in", 0, null, null);
        }
        return message;
    }

    /** The message finished for this robot, at most {@code maxBytes} as JSON (see the class comment). */
    public static DingTalkMessage finish(DingTalkMessage message, DingTalkSink sink, int maxBytes) {
        return finished(message, sink, maxBytes).message();
    }

    /** {@link #finish}, with its JSON: written once (a message that fits is not written again to send it). */
    public static Finished finished(DingTalkMessage message, DingTalkSink sink, int maxBytes) {
        return finished(message, sink, maxBytes, MessageFinisher::json);
    }

    /**
     * {@link #finish}, its size measured on what {@code write} makes of it (the webhook's JSON body, an app
     * robot's msgParam), which it returns with the message.
     */
    public static Finished finished(DingTalkMessage message, DingTalkSink sink, int maxBytes,
                                    Function<DingTalkMessage, String> write) {
        DingTalkMessage.At at = merged(message.at(), sink);
        String text = bodyText(message);
        DingTalkMessage whole = dressed(message, sink.keyword(), at, text);
        String json = write.apply(whole);
        int overflow = bytes(json) - maxBytes;
        if (overflow <= 0) {
            return new Finished(whole, json);
        }
        DingTalkMessage shortened = dressed(message, sink.keyword(), at, MessageTruncator.shorten(text, overflow));
        return new Finished(shortened, write.apply(shortened));
    }

    /** A finished message and what it was measured as (its JSON body). */
    public record Finished(DingTalkMessage message, String json) {
    }

    public static String json(DingTalkMessage message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a DingTalk message", e);
        }
    }

    /** The text a reader sees: the Markdown or action card text, or a text message's content. */
    public static String bodyText(DingTalkMessage message) {
        return switch (message.msgtype() == null ? "" : message.msgtype()) {
            case "markdown" -> message.markdown() == null ? null : message.markdown().text();
            case "actionCard" -> message.actionCard() == null ? null : message.actionCard().text();
            case "text" -> message.text() == null ? null : message.text().content();
            default -> null;
        };
    }

    private static DingTalkMessage dressed(DingTalkMessage m, String keyword, DingTalkMessage.At at, String text) {
        return switch (m.msgtype()) {
            case "markdown" -> new DingTalkMessage(m.msgtype(), null,
                    new DingTalkMessage.Markdown(withKeyword(m.markdown().title(), keyword), withMentions(text, at)), null, at);
            case "actionCard" -> {
                DingTalkMessage.ActionCard card = m.actionCard();
                yield new DingTalkMessage(m.msgtype(), null, null, new DingTalkMessage.ActionCard(
                        withKeyword(card.title(), keyword), withMentions(text, at), card.btnOrientation(),
                        card.singleTitle(), card.singleURL(), card.btns()), at);
            }
            default -> new DingTalkMessage(m.msgtype(), new DingTalkMessage.Text(withKeyword(text, keyword)), null, null, at);
        };
    }

    /** The robot's mentions first, then the message's own; each once. */
    private static DingTalkMessage.At merged(DingTalkMessage.At own, DingTalkSink sink) {
        DingTalkMessage.At at = own == null ? DingTalkMessage.At.NOBODY : own;
        Set<String> mobiles = new LinkedHashSet<>(sink.atMobiles());
        mobiles.addAll(at.atMobiles());
        Set<String> userIds = new LinkedHashSet<>(sink.atUserIds());
        userIds.addAll(at.atUserIds());
        return new DingTalkMessage.At(List.copyOf(mobiles), List.copyOf(userIds), sink.atAll() || at.isAtAll());
    }

    /** {@code 【keyword】title}, unless the title already holds the keyword. */
    public static String withKeyword(String title, String keyword) {
        String t = title == null ? "" : title;
        return keyword != null && !t.contains(keyword) ? "【" + keyword + "】" + t : t;
    }

    static String withMentions(String text, DingTalkMessage.At at) {
        List<String> mentions = new ArrayList<>();
        at.atMobiles().forEach(m -> mentions.add("@" + m));
        at.atUserIds().forEach(id -> mentions.add("@" + id));
        String line = String.join(" ", mentions);
        return mentions.isEmpty() || text.endsWith("\n\n" + line) ? text : text + "\n\n" + line;
    }

    private static String firstLine(String markdown) {
        String line = markdown.strip().lines().findFirst().orElse("").replaceFirst("^#+\\s*", "").strip();
        return line.length() <= 100 ? line : line.substring(0, 100) + "…";
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
