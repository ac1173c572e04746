package io.github.sentrydingtalk;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentry allows a webhook 1 second: the 202 must not wait for DingTalk. The stand-in here takes
 * 3 seconds to answer, and the 202 must arrive while delivery is still in progress. (An ordering
 * check, not a timing assertion.)
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=slow",
        "dingtalk.robots[0].access-token=slow-token",
        "dingtalk.robots[1].name=fast",
        "dingtalk.robots[1].access-token=fast-token",
})
class FastAckTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    @Autowired
    CamelContext camelContext;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @AfterAll
    static void stopStandIn() {
        DINGTALK.stop();
    }

    /** Done when the alert has been through every robot: the split's parent exchange, not one robot's part. */
    private NotifyBuilder alertDelivered() {
        return new NotifyBuilder(camelContext).fromRoute("alert-fanout")
                .filter(e -> e.getProperty(ExchangePropertyKey.SPLIT_INDEX) == null).whenCompleted(1).create();
    }

    @BeforeEach
    void slowAndFastRobots() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo("slow-token"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}").withFixedDelay(3000)));
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo("fast-token"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @Test
    void aSlowRobotDoesNotHoldUpAnother() {
        NotifyBuilder allDone = alertDelivered();
        postFixture("issue.created.json", "issue");
        awaitMessages(DINGTALK, "fast-token", 1);
        assertThat(allDone.matches()).as("the slow robot is still waiting for DingTalk").isFalse();
        assertThat(allDone.matches(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void acceptsBeforeDingTalkHasAnswered() throws Exception {
        NotifyBuilder delivered = alertDelivered();

        HttpResponse<String> answer = postFixture("legacy-plugin.python-exception.json", null);

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(delivered.matches()).as("delivery still in progress when the 202 arrived").isFalse();
        assertThat(delivered.matches(20, TimeUnit.SECONDS)).as("then delivered").isTrue();
        assertThat(messagesFor(DINGTALK, "slow-token")).hasSize(1);
    }
}
