package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DingTalk is down longer than all retries: nothing is dead-lettered, the robot only ever retries its
 * oldest alert, and when DingTalk is back everything goes out once, in order of arrival.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + DingTalkOutageTest.TOKEN,
        "dingtalk.retry.max-redeliveries=1",
        "dingtalk.retry.initial-delay=100",
        "dingtalk.retry.max-delay=100",
        "dingtalk.retry.outage-pause=500ms",
})
class DingTalkOutageTest extends ServiceTestSupport {

    static final String TOKEN = "outage-token-31c0";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Test
    void alertsWaitOutAnOutageAndDrainInOrder() throws Exception {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(aResponse().withStatus(503)));
        String[] fixtures = {"issue.created.json", "metric_alert.critical.json", "error.created.json"};
        String[] resources = {"issue", "metric_alert", "error"};
        for (int i = 0; i < fixtures.length; i++) {
            postFixture(fixtures[i], resources[i]);
            Thread.sleep(5); // distinct arrival times
        }

        // Several outage cycles (2 attempts, pause, 2 attempts, ...), always on the oldest alert.
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(DINGTALK, TOKEN).size() >= 6);
        List<String> duringOutage = titles(messagesFor(DINGTALK, TOKEN));
        assertThat(duringOutage).containsOnly(duringOutage.get(0));
        assertThat(files(DATA_DIR.resolve("dead-letter"))).isEmpty();
        assertThat(files(DATA_DIR.resolve("outbox").resolve("ops"))).hasSize(3);

        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        List<String> afterOutage = titles(awaitMessages(DINGTALK, TOKEN, 3));

        assertThat(afterOutage.get(0)).isEqualTo(duringOutage.get(0));
        assertThat(afterOutage.get(0)).contains("ReferenceError: blooopy is not defined"); // issue.created came first
        assertThat(afterOutage).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(5)).until(() -> files(DATA_DIR.resolve("outbox").resolve("ops")).isEmpty());
        assertThat(files(DATA_DIR.resolve("dead-letter"))).isEmpty();
        Thread.sleep(1000);
        assertThat(messagesFor(DINGTALK, TOKEN)).as("each alert delivered once").hasSize(3);
    }

    private static List<String> titles(List<LoggedRequest> requests) throws Exception {
        List<String> titles = new ArrayList<>();
        for (LoggedRequest request : requests) {
            titles.add(body(request).path("markdown").path("title").asText());
        }
        return titles;
    }
}
