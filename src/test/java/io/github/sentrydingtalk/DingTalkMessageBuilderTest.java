package io.github.sentrydingtalk;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.DingTalkMessageBuilder;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DingTalkMessageBuilderTest {

    private final DingTalkMessageBuilder builder = new DingTalkMessageBuilder();

    private static SentryAlert alert(String project, String title) {
        return SentryAlert.builder().kind("legacy").title(title).projectSlug(project).build();
    }

    private static Robot robot(String keyword, List<String> mobiles, List<String> userIds, boolean all) {
        return new Robot("r", "t", null, keyword, mobiles, userIds, all, false);
    }

    @Test
    void titleGetsProjectAndKeywordUnlessTheKeywordIsAlreadyThere() {
        assertThat(builder.title(alert("api", "Boom"), robot(null, List.of(), List.of(), false))).isEqualTo("【api】 Boom");
        assertThat(builder.title(alert("api", "Boom"), robot("告警", List.of(), List.of(), false))).isEqualTo("【告警】【api】 Boom");
        assertThat(builder.title(alert("api", "告警 Boom"), robot("告警", List.of(), List.of(), false))).isEqualTo("【api】 告警 Boom");
        assertThat(builder.title(alert(null, "Boom"), robot(null, List.of(), List.of(), false))).isEqualTo("Boom");
    }

    @Test
    void mentionsByMobileAndUserIdGoIntoTextAndAt() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setVariable("robot", robot(null, List.of("13800000001"), List.of("manager7"), true));
        exchange.setVariable("dingtalkTitle", "T");
        exchange.getMessage().setBody("### T\n\n\n\n- line   \n");

        builder.process(exchange);

        JsonNode body = new ObjectMapper().readTree(exchange.getVariable("dingtalkBody", String.class));
        assertThat(body.path("markdown").path("text").asText()).isEqualTo("### T\n\n- line\n\n@13800000001 @manager7");
        assertThat(body.path("at").toString())
                .isEqualTo("{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[\"manager7\"],\"isAtAll\":true}");
    }
}
