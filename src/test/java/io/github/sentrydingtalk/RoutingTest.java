package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which robot gets what: a filtered robot from properties, and two robots from the seed plugin's
 * environment variables pasted unchanged.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=frontend",
        "dingtalk.robots[0].access-token=frontend-token",
        "dingtalk.robots[0].projects=front-*",
        "dingtalk.robots[0].events=event_alert,issue.created",
        "dingtalk.robots[0].at-mobiles-by-level.error=13900000009",
})
@ContextConfiguration(initializers = RoutingTest.SeedPluginEnvironment.class)
class RoutingTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    static class SeedPluginEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addLast(new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                    "DINGTALK_ACCESS_TOKENS", "seed-one\n\nseed-two\n",
                    "DINGTALK_SECRETS", "SECseedsecret1\n\n-\n",
                    "DINGTALK_KEYWORD", "告警",
                    "DINGTALK_AT_MOBILES", "13800000001")));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @Test
    void eachRobotGetsWhatItsFiltersLetThrough() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert"); // front-end, error
        postFixture("issue.resolved.json", "issue");               // front-end, but not issue.created
        postFixture("legacy-plugin.python-exception.json", null);  // foo-live: not front-*

        // The seed robots have no filters: all three.
        awaitMessages(DINGTALK, "seed-one", 3);
        LoggedRequest seedTwo = awaitMessages(DINGTALK, "seed-two", 3).get(0);
        LoggedRequest frontend = awaitMessages(DINGTALK, "frontend-token", 1).get(0);
        Thread.sleep(500);
        assertThat(messagesFor(DINGTALK, "frontend-token")).hasSize(1);

        assertThat(body(frontend).path("markdown").path("title").asText()).isEqualTo("【front-end】 ReferenceError: heck is not defined");
        // An error-level alert also @mentions the robot's error-level mobile.
        assertThat(body(frontend).path("at").path("atMobiles").toString()).isEqualTo("[\"13900000009\"]");
        assertThat(text(frontend)).endsWith("@13900000009");

        // Seed robots: keyword and mobiles for all, robot-1 signed (its line's secret), robot-2 not ("-").
        LoggedRequest seedOne = messagesFor(DINGTALK, "seed-one").get(0);
        assertThat(query(seedOne)).containsKeys("timestamp", "sign");
        assertThat(query(seedOne).get("sign")).isEqualTo(expectedSign(query(seedOne).get("timestamp"), "SECseedsecret1"));
        assertThat(query(seedTwo)).containsOnlyKeys("access_token");
        assertThat(body(seedTwo).path("markdown").path("title").asText()).startsWith("【告警】");
        assertThat(text(seedTwo)).endsWith("@13800000001");
    }
}
