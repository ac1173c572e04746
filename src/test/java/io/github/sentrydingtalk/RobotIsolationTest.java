package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

/**
 * One robot's slow DingTalk never starves another: ten robots whose DingTalk answers only after a
 * minute (longer than this test waits for anything) each hold a thread, and the eleventh robot's
 * alerts still go out at once. (Before, ten robots were all the shared pool had.)
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=slow-0", "dingtalk.robots[0].access-token=slow-token-0",
        "dingtalk.robots[1].name=slow-1", "dingtalk.robots[1].access-token=slow-token-1",
        "dingtalk.robots[2].name=slow-2", "dingtalk.robots[2].access-token=slow-token-2",
        "dingtalk.robots[3].name=slow-3", "dingtalk.robots[3].access-token=slow-token-3",
        "dingtalk.robots[4].name=slow-4", "dingtalk.robots[4].access-token=slow-token-4",
        "dingtalk.robots[5].name=slow-5", "dingtalk.robots[5].access-token=slow-token-5",
        "dingtalk.robots[6].name=slow-6", "dingtalk.robots[6].access-token=slow-token-6",
        "dingtalk.robots[7].name=slow-7", "dingtalk.robots[7].access-token=slow-token-7",
        "dingtalk.robots[8].name=slow-8", "dingtalk.robots[8].access-token=slow-token-8",
        "dingtalk.robots[9].name=slow-9", "dingtalk.robots[9].access-token=slow-token-9",
        "dingtalk.robots[10].name=prompt", "dingtalk.robots[10].access-token=" + RobotIsolationTest.PROMPT_TOKEN,
        // the slow answers are waited for, not timed out, so they hold their threads for the whole test
        "dingtalk.http.response-timeout=120000",
        "camel.main.shutdown-timeout=2",
})
class RobotIsolationTest extends ServiceTestSupport {

    static final String PROMPT_TOKEN = "prompt-token";
    static final int SLOW_ROBOTS = 10;
    static final WireMockServer DINGTALK = startStandIn(WireMockConfiguration.options().dynamicPort().containerThreads(64));
    static final Path DATA_DIR = tempDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}").withFixedDelay(60_000)));
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withQueryParam("access_token", equalTo(PROMPT_TOKEN))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Test
    void slowRobotsDoNotHoldUpAPromptOne() throws Exception {
        postFixture("issue.created.json", "issue");
        // every slow robot is now waiting for its answer
        await().atMost(Duration.ofSeconds(20)).until(() -> allRequests(DINGTALK) >= SLOW_ROBOTS);
        postFixture("metric_alert.critical.json", "metric_alert");
        postFixture("issue.resolved.json", "issue");
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesFor(DINGTALK, PROMPT_TOKEN).size() == 3);
    }
}
