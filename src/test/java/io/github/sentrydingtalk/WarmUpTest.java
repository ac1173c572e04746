package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warm-up at startup runs the DingTalk sink once, so the first message after a start does not wait
 * for its code to load, and still sends nothing to DingTalk.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarmUpTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startAcceptingStandIn();
    static final Path DATA_DIR = tempDataDir();

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("dingtalk.robots[0].name", () -> "ops");
        registry.add("dingtalk.robots[0].access-token", () -> "warm-token");
        registry.add("dingtalk.robots[0].secret", () -> "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd");
    }

    @Test
    void theDingTalkSinkRunsOnceAtStartupAndNothingReachesDingTalk(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getAll().contains("Warmed up:"));

        assertThat(camel.getRoutes()).as("a route made from the dingtalk-sink Kamelet before any alert")
                .anyMatch(WarmUpTest::isDingTalkSink);
        assertThat(allRequests(DINGTALK)).as("the warm-up sends nothing to DingTalk").isZero();
        assertThat(output.getAll()).doesNotContain("cannot render a test message")
                .doesNotContain("SECwarm-up").doesNotContain("warm-up&secret");

        // and the first alert afterwards is delivered as usual, once
        postFixture("event_alert.triggered.json", "event_alert");
        awaitMessages(DINGTALK, "warm-token", 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> allRequests(DINGTALK) == 1);
        assertThat(camel.getRoutes().stream().filter(WarmUpTest::isDingTalkSink).count())
                .as("the warm-up's sink and the robot's own").isEqualTo(2);
    }

    /** Camel names the routes it makes from a Kamelet after it: dingtalk-sink-1, dingtalk-sink-2, ... */
    private static boolean isDingTalkSink(Route route) {
        return route.getRouteId().startsWith("dingtalk-sink-") && route.getEndpoint().getEndpointUri().startsWith("kamelet://source");
    }
}
