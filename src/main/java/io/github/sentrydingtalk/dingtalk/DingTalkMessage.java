package io.github.sentrydingtalk.dingtalk;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A DingTalk robot message as {@code /robot/send} takes it: exactly one of {@code markdown}, {@code text}
 * or {@code actionCard} (by {@code msgtype}), and whom to {@code at}. Jackson reads and writes it; fields
 * that are null are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"msgtype", "text", "markdown", "actionCard", "at"})
public record DingTalkMessage(String msgtype, Text text, Markdown markdown, ActionCard actionCard, At at) {

    public static DingTalkMessage markdown(String title, String text, At at) {
        return new DingTalkMessage("markdown", null, new Markdown(title, text), null, at);
    }

    public static DingTalkMessage text(String content, At at) {
        return new DingTalkMessage("text", new Text(content), null, null, at);
    }

    /** The message with another {@code at}. */
    public DingTalkMessage with(At newAt) {
        return new DingTalkMessage(msgtype, text, markdown, actionCard, newAt);
    }

    public record Text(String content) {
    }

    @JsonPropertyOrder({"title", "text"})
    public record Markdown(String title, String text) {
    }

    /** One button ({@code singleTitle}, {@code singleURL}) or several ({@code btns}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"title", "text", "btnOrientation", "singleTitle", "singleURL", "btns"})
    public record ActionCard(String title, String text, String btnOrientation, String singleTitle,
                             @JsonProperty("singleURL") String singleURL, List<Button> btns) {
    }

    public record Button(String title, @JsonProperty("actionURL") String actionURL) {
    }

    /** Whom DingTalk notifies. A mobile or user id is only highlighted when the text also names it. */
    @JsonPropertyOrder({"atMobiles", "atUserIds", "isAtAll"})
    public record At(List<String> atMobiles, List<String> atUserIds, @JsonProperty("isAtAll") boolean isAtAll) {

        public static final At NOBODY = new At(List.of(), List.of(), false);

        public At {
            atMobiles = atMobiles == null ? List.of() : List.copyOf(atMobiles);
            atUserIds = atUserIds == null ? List.of() : List.copyOf(atUserIds);
        }
    }
}
