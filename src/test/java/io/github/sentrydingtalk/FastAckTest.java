package io.github.sentrydingtalk;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    /** The alert is still on its way to the slow robot: in the queue or in that robot's outbox. */
    private static boolean stillPendingForSlowRobot() throws Exception {
        return !files(DATA_DIR.resolve("queue")).isEmpty() || !files(DATA_DIR.resolve("outbox").resolve("slow")).isEmpty();
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
    void aSlowRobotDoesNotHoldUpAnother() throws Exception {
        postFixture("issue.created.json", "issue");
        awaitMessages(DINGTALK, "fast-token", 1);
        assertThat(stillPendingForSlowRobot()).as("the slow robot is still waiting for DingTalk").isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !stillPendingForSlowRobot());
        assertThat(messagesFor(DINGTALK, "slow-token")).hasSize(1);
    }

    @Test
    void acceptsBeforeDingTalkHasAnswered() throws Exception {
        HttpResponse<String> answer = postFixture("legacy-plugin.python-exception.json", null);

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(stillPendingForSlowRobot()).as("delivery still in progress when the 202 arrived").isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !stillPendingForSlowRobot());
        assertThat(messagesFor(DINGTALK, "slow-token")).hasSize(1);
    }
}
