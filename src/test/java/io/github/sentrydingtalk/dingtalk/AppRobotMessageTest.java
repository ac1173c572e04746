package io.github.sentrydingtalk.dingtalk;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** DingTalk messages as an app robot's msgKey and msgParam. */
class AppRobotMessageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void markdownAndText() {
        assertThat(AppRobotMessage.of(DingTalkMessage.markdown("T", "### T\n\nbody", null)))
                .isEqualTo(new AppRobotMessage("sampleMarkdown", "{\"title\":\"T\",\"text\":\"### T\\n\\nbody\"}"));
        assertThat(AppRobotMessage.of(DingTalkMessage.text("db1 \"down\"", null)))
                .isEqualTo(new AppRobotMessage("sampleText", "{\"content\":\"db1 \\\"down\\\"\"}"));
    }

    @Test
    void oneButtonIsSampleActionCard() {
        assertThat(AppRobotMessage.of(card(null, "Open", "https://e/1", null))).isEqualTo(new AppRobotMessage("sampleActionCard",
                "{\"title\":\"T\",\"text\":\"x\",\"singleTitle\":\"Open\",\"singleURL\":\"https://e/1\"}"));
        assertThat(AppRobotMessage.of(card("0", null, null, buttons(1))).msgKey()).isEqualTo("sampleActionCard");
    }

    @Test
    void twoToFiveButtonsOneUnderTheOther() {
        assertThat(AppRobotMessage.of(card("0", null, null, buttons(2)))).isEqualTo(new AppRobotMessage("sampleActionCard2",
                "{\"title\":\"T\",\"text\":\"x\",\"actionTitle1\":\"B1\",\"actionURL1\":\"https://e/1\","
                        + "\"actionTitle2\":\"B2\",\"actionURL2\":\"https://e/2\"}"));
        for (int n = 3; n <= 5; n++) {
            AppRobotMessage message = AppRobotMessage.of(card(null, null, null, buttons(n)));
            assertThat(message.msgKey()).isEqualTo("sampleActionCard" + n);
            assertThat(message.msgParam()).contains("\"actionTitle" + n + "\":\"B" + n + "\",\"actionURL" + n + "\":\"https://e/" + n + "\"}");
        }
        // no template holds more: the first five
        AppRobotMessage six = AppRobotMessage.of(card(null, null, null, buttons(6)));
        assertThat(six.msgKey()).isEqualTo("sampleActionCard5");
        assertThat(six.msgParam()).doesNotContain("B6");
    }

    @Test
    void twoButtonsSideBySideAreSampleActionCard6() {
        assertThat(AppRobotMessage.of(card("1", null, null, buttons(2)))).isEqualTo(new AppRobotMessage("sampleActionCard6",
                "{\"title\":\"T\",\"text\":\"x\",\"buttonTitle1\":\"B1\",\"buttonUrl1\":\"https://e/1\","
                        + "\"buttonTitle2\":\"B2\",\"buttonUrl2\":\"https://e/2\"}"));
    }

    @Test
    void aCardWithoutButtonsIsMarkdown() {
        assertThat(AppRobotMessage.of(card(null, null, null, List.of())))
                .isEqualTo(new AppRobotMessage("sampleMarkdown", "{\"title\":\"T\",\"text\":\"x\"}"));
    }

    @Test
    void aLongMessageIsCutToDingTalksMsgParamLimitKeepingKeywordLinkAndMentions() throws Exception {
        String markdown = "### Huge\n\n> " + "长".repeat(9_000) + "\n\n[👉 View](https://e/1)";
        DingTalkSink sink = new DingTalkSink(null, null, "告警", List.of("13800000001"), List.of(), false);
        MessageFinisher.Finished finished = MessageFinisher.finished(DingTalkMessage.markdown("Huge", markdown, null), sink,
                AppRobotMessage.MAX_MSG_PARAM_BYTES, AppRobotMessage::msgParam);
        assertThat(finished.json().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(15_000).isGreaterThan(14_000);
        JsonNode param = JSON.readTree(finished.json());
        assertThat(param.path("title").asText()).isEqualTo("【告警】Huge");
        assertThat(param.path("text").asText()).startsWith("### Huge\n\n> 长长").contains("…\n\n[👉 View](https://e/1)")
                .endsWith("\n\n@13800000001");
        assertThat(finished.json()).isEqualTo(AppRobotMessage.msgParam(finished.message()));
    }

    private static DingTalkMessage card(String orientation, String singleTitle, String singleUrl, List<DingTalkMessage.Button> btns) {
        return new DingTalkMessage("actionCard", null, null,
                new DingTalkMessage.ActionCard("T", "x", orientation, singleTitle, singleUrl, btns), null);
    }

    private static List<DingTalkMessage.Button> buttons(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n)
                .mapToObj(i -> new DingTalkMessage.Button("B" + i, "https://e/" + i)).toList();
    }
}
