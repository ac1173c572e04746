package io.github.sentrydingtalk.dingtalk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@link DingTalkMessage} as an app robot sends it: a message template ({@code msgKey}) and its
 * parameters as a JSON string ({@code msgParam}).
 * <p>
 * The templates and their parameter names follow DingTalk's "机器人发送消息的类型" (robot message types) table
 * in its open platform documentation, as quoted by public SDKs: {@code sampleText {content}},
 * {@code sampleMarkdown {title, text}}, {@code sampleActionCard {title, text, singleTitle, singleURL}} (one
 * button), {@code sampleActionCard2..5 {title, text, actionTitle1, actionURL1, ...}} (2 to 5 buttons, one
 * under the other) and {@code sampleActionCard6 {title, text, buttonTitle1, buttonUrl1, buttonTitle2,
 * buttonUrl2}} (two buttons side by side, a webhook card's {@code btnOrientation "1"}). There is no template
 * for more than five buttons: the first five are sent. App robot messages have no {@code at}: the
 * {@code @mobile} line {@link MessageFinisher} writes stays in the text, but DingTalk notifies nobody.
 */
public record AppRobotMessage(String msgKey, String msgParam) {

    /** DingTalk refuses a msgParam over 15,000 bytes. */
    public static final int MAX_MSG_PARAM_BYTES = 15_000;
    static final int MAX_BUTTONS = 5;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static AppRobotMessage of(DingTalkMessage message) {
        return new AppRobotMessage(msgKey(message), msgParam(message));
    }

    static String msgKey(DingTalkMessage message) {
        return switch (message.msgtype()) {
            case "markdown" -> "sampleMarkdown";
            case "actionCard" -> {
                List<DingTalkMessage.Button> buttons = buttons(message.actionCard());
                if (buttons.isEmpty()) {
                    yield "sampleMarkdown"; // a card without a button is Markdown with a title
                }
                if (buttons.size() == 1) {
                    yield "sampleActionCard";
                }
                yield sideBySide(message.actionCard(), buttons) ? "sampleActionCard6" : "sampleActionCard" + buttons.size();
            }
            default -> "sampleText";
        };
    }

    /** The parameters of {@link #msgKey}'s template, as the JSON string DingTalk wants. */
    public static String msgParam(DingTalkMessage message) {
        Map<String, String> param = new LinkedHashMap<>();
        switch (message.msgtype()) {
            case "markdown" -> {
                param.put("title", message.markdown().title());
                param.put("text", message.markdown().text());
            }
            case "actionCard" -> {
                DingTalkMessage.ActionCard card = message.actionCard();
                List<DingTalkMessage.Button> buttons = buttons(card);
                param.put("title", card.title());
                param.put("text", card.text());
                if (buttons.size() == 1) {
                    param.put("singleTitle", buttons.get(0).title());
                    param.put("singleURL", buttons.get(0).actionURL());
                } else if (sideBySide(card, buttons)) {
                    for (int i = 0; i < 2; i++) {
                        param.put("buttonTitle" + (i + 1), buttons.get(i).title());
                        param.put("buttonUrl" + (i + 1), buttons.get(i).actionURL());
                    }
                } else {
                    for (int i = 0; i < buttons.size(); i++) {
                        param.put("actionTitle" + (i + 1), buttons.get(i).title());
                        param.put("actionURL" + (i + 1), buttons.get(i).actionURL());
                    }
                }
            }
            default -> param.put("content", message.text().content());
        }
        try {
            return MAPPER.writeValueAsString(param);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a msgParam", e);
        }
    }

    /** One button ({@code singleTitle}) or the card's buttons, at most {@link #MAX_BUTTONS}. */
    private static List<DingTalkMessage.Button> buttons(DingTalkMessage.ActionCard card) {
        if (card.singleTitle() != null || card.btns() == null || card.btns().isEmpty()) {
            return card.singleTitle() == null ? List.of()
                    : List.of(new DingTalkMessage.Button(card.singleTitle(), card.singleURL()));
        }
        return card.btns().size() <= MAX_BUTTONS ? card.btns() : card.btns().subList(0, MAX_BUTTONS);
    }

    private static boolean sideBySide(DingTalkMessage.ActionCard card, List<DingTalkMessage.Button> buttons) {
        return buttons.size() == 2 && "1".equals(card.btnOrientation());
    }
}
