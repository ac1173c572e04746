package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle robot polls its backlog only every notify.drain-period (here 10 minutes): an alert entering the
 * backlog wakes its route, so the first alert of an incident does not wait for the next poll. Without the
 * wake-up the alert below would wait 10 minutes.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=ops-token",
        "notify.drain-period=600000",
})
class IdleRobotWakesUpTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startAcceptingStandIn();
    static final Path DATA_DIR = tempDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Test
    void eachAlertWakesItsIdleRobot() throws Exception {
        // after each message the robot polls until its backlog is empty, then idles for ten minutes
        String[][] incidents = {{"issue.created.json", "issue"}, {"event_alert.triggered.json", "event_alert"},
                {"metric_alert.critical.json", "metric_alert"}, {"error.created.json", "error"}};
        for (String[] incident : incidents) {
            DINGTALK.resetRequests();
            assertThat(postFixture(incident[0], incident[1]).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> messagesFor(DINGTALK, "ops-token").size() == 1);
        }
    }
}
