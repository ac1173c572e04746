package io.github.sentrydingtalk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.DumpRoutesStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enterprise app robots (dingtalk.robots[N].type=app) in the whole service, against a stand-in of DingTalk's
 * API over real HTTP: a Sentry webhook ends as the exact request to groupMessages/send and
 * oToMessages/batchSend, two robots of one app share one token, throttling pauses the robot and keeps its
 * alert, bot.stopped is dead-lettered with a reason, and the app secret and access token show nowhere.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability // the metrics too must not show a secret
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops-group",
        "dingtalk.robots[0].type=app",
        "dingtalk.robots[0].app-key=dingshared",
        "dingtalk.robots[0].app-secret=" + AppRobotDeliveryTest.SHARED_SECRET,
        "dingtalk.robots[0].robot-code=dingshared",
        "dingtalk.robots[0].open-conversation-id=cidOps+1==",
        "dingtalk.robots[0].at-mobiles=13800000001",
        "dingtalk.robots[0].events=metric_alert.resolved",
        "dingtalk.robots[1].name=on-call-person",
        "dingtalk.robots[1].type=app",
        "dingtalk.robots[1].app-key=dingshared",
        "dingtalk.robots[1].app-secret=" + AppRobotDeliveryTest.SHARED_SECRET,
        "dingtalk.robots[1].robot-code=dingshared",
        "dingtalk.robots[1].user-ids=manager7,oncall9",
        "dingtalk.robots[1].events=metric_alert.resolved",
        "dingtalk.robots[2].name=stopped-bot",
        "dingtalk.robots[2].type=app",
        "dingtalk.robots[2].app-key=dingother",
        "dingtalk.robots[2].app-secret=" + AppRobotDeliveryTest.OTHER_SECRET,
        "dingtalk.robots[2].robot-code=dingstopped",
        "dingtalk.robots[2].open-conversation-id=cidStopped",
        "dingtalk.robots[2].events=metric_alert.critical",
        "dingtalk.robots[3].name=throttled-bot",
        "dingtalk.robots[3].type=app",
        "dingtalk.robots[3].app-key=dingother",
        "dingtalk.robots[3].app-secret=" + AppRobotDeliveryTest.OTHER_SECRET,
        "dingtalk.robots[3].robot-code=dingthrottled",
        "dingtalk.robots[3].open-conversation-id=cidThrottled",
        "dingtalk.robots[3].events=issue",
        "dingtalk.rate-limit.pause=1s",
        "notify.time-zone=Asia/Shanghai",
        "dingtalk.retry.give-up-after=0s",
})
class AppRobotDeliveryTest extends ServiceTestSupport {

    static final String SHARED_SECRET = "shared-app-secret-5f1e9a";
    static final String OTHER_SECRET = "other-app-secret-77c3d0";
    static final String SHARED_TOKEN = "app-access-token-shared-0a1b2c";
    static final String OTHER_TOKEN = "app-access-token-other-3d4e5f";
    static final String TOKEN_PATH = "/v1.0/oauth2/accessToken";
    static final String GROUP_PATH = "/v1.0/robot/groupMessages/send";
    static final String ONE_TO_ONE_PATH = "/v1.0/robot/oToMessages/batchSend";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("dingshared"))
                .willReturn(okJson("{\"accessToken\":\"" + SHARED_TOKEN + "\",\"expireIn\":7200}")));
        DINGTALK.stubFor(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("dingother"))
                .willReturn(okJson("{\"accessToken\":\"" + OTHER_TOKEN + "\",\"expireIn\":7200}")));
        DINGTALK.stubFor(post(urlPathEqualTo(GROUP_PATH)).willReturn(okJson("{\"processQueryKey\":\"q1\"}")));
        DINGTALK.stubFor(post(urlPathEqualTo(ONE_TO_ONE_PATH)).willReturn(okJson(
                "{\"processQueryKey\":\"q2\",\"invalidStaffIdList\":[],\"flowControlledStaffIdList\":[]}")));
        DINGTALK.stubFor(post(urlPathEqualTo(GROUP_PATH)).withRequestBody(containing("cidStopped"))
                .willReturn(aResponse().withStatus(400).withBody("{\"code\":\"bot.stopped\",\"message\":\"机器人已停用\"}")));
        DINGTALK.stubFor(post(urlPathEqualTo(GROUP_PATH)).withRequestBody(containing("cidThrottled"))
                .inScenario("throttled").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(429).withBody("{\"code\":\"Throttling.Api\",\"message\":\"请求过于频繁\"}")));
        DINGTALK.stubFor(post(urlPathEqualTo(GROUP_PATH)).withRequestBody(containing("cidThrottled"))
                .inScenario("throttled").whenScenarioStateIs("allowed")
                .willReturn(okJson("{\"processQueryKey\":\"q3\"}")));
    }

    @Autowired
    private CamelContext camelContext;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("dingtalk.api-base-url", DINGTALK::baseUrl);
        registry.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
    }

    @Test
    void aSentryAlertEndsAsTheExactAppRobotRequestsWithOneTokenForTheApp() throws Exception {
        postFixture("metric_alert.resolved.json", "metric_alert");
        String text = """
                ### 【bar】 Resolved: Too many errors

                **✅ Resolved**: Too many errors

                - **📦 Project**: bar
                - **🕐 Started**: 2020-09-13 20:26:40

                > 1000 events in the last 10 minutes
                > Filter: level:error

                [👉 View Alert on Sentry](https://sentry.io/organizations/baz/alerts/1/)""";

        LoggedRequest group = onlyRequest(GROUP_PATH, "cidOps");
        assertThat(group.getHeader("x-acs-dingtalk-access-token")).isEqualTo(SHARED_TOKEN);
        assertThat(group.getBodyAsString()).isEqualTo("{\"robotCode\":\"dingshared\",\"openConversationId\":\"cidOps+1==\","
                + "\"msgKey\":\"sampleMarkdown\",\"msgParam\":" + jsonString(msgParam("【bar】 Resolved: Too many errors",
                text + "\n\n@13800000001")) + "}");
        assertThat(JSON.readTree(group.getBodyAsString()).path("msgParam").asText())
                .startsWith("{\"title\":\"【bar】 Resolved: Too many errors\",\"text\":\"### 【bar】 Resolved")
                .endsWith("(https://sentry.io/organizations/baz/alerts/1/)\\n\\n@13800000001\"}");

        LoggedRequest oneToOne = onlyRequest(ONE_TO_ONE_PATH, "manager7");
        assertThat(oneToOne.getHeader("x-acs-dingtalk-access-token")).isEqualTo(SHARED_TOKEN);
        assertThat(oneToOne.getBodyAsString()).isEqualTo("{\"robotCode\":\"dingshared\",\"userIds\":[\"manager7\",\"oncall9\"],"
                + "\"msgKey\":\"sampleMarkdown\",\"msgParam\":" + jsonString(msgParam("【bar】 Resolved: Too many errors", text)) + "}");

        List<LoggedRequest> tokens = requests(TOKEN_PATH, "dingshared");
        assertThat(tokens).as("one token for both robots of the app").hasSize(1);
        assertThat(tokens.get(0).getBodyAsString()).isEqualTo("{\"appKey\":\"dingshared\",\"appSecret\":\"" + SHARED_SECRET + "\"}");
    }

    @Test
    void aThrottledRobotPausesAndSendsItsAlertAfterwards() throws Exception {
        postFixture("issue.assigned.json", "issue");
        await().atMost(Duration.ofSeconds(20)).until(() -> requests(GROUP_PATH, "cidThrottled").size() >= 2);
        List<LoggedRequest> attempts = requests(GROUP_PATH, "cidThrottled");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).getBodyAsString()).isEqualTo(attempts.get(0).getBodyAsString());
        await().atMost(Duration.ofSeconds(5)).until(() -> files(DATA_DIR.resolve("outbox").resolve("throttled-bot")).isEmpty());
        assertThat(files(DATA_DIR.resolve("dead-letter"))).noneMatch(f -> f.toString().contains("throttled"));
    }

    @Test
    void aStoppedBotIsDeadLetteredWithAReasonAndNoSecretOrTokenShowsAnywhere(CapturedOutput output) throws Exception {
        postFixture("metric_alert.critical.json", "metric_alert");
        Path deadLetters = DATA_DIR.resolve("dead-letter");
        await().atMost(Duration.ofSeconds(20)).until(() -> !writtenFiles(deadLetters).isEmpty()
                && output.getAll().contains("Alert not delivered to robot 'stopped-bot'"));
        JsonNode record = JSON.readTree(Files.readString(writtenFiles(deadLetters).get(0)));
        assertThat(record.path("reason").asText()).isEqualTo("robot stopped or not found, bot.stopped (HTTP 400): 机器人已停用:"
                + " check robot-code and that the robot is published and enabled in the DingTalk developer console");
        assertThat(requests(GROUP_PATH, "cidStopped")).as("not retried").hasSize(1);

        DumpRoutesStrategy dump = camelContext.getCamelContextExtension().getContextPlugin(DumpRoutesStrategy.class);
        dump.setInclude("*");
        dump.setResolvePlaceholders(true);
        dump.dumpRoutes("xml");
        List<String> everything = new ArrayList<>();
        everything.add(output.getAll());
        camelContext.getEndpoints().stream().map(Endpoint::toString).forEach(everything::add);
        String metrics = actuator("/actuator/prometheus");
        everything.add(metrics);
        everything.addAll(everyFileUnder(DATA_DIR).values());
        assertThat(output.getAll()).as("the dump ran, the app robot's Kamelet call among it")
                .contains("<routeTemplate id=\"dingtalk-sink\">", "kamelet:dingtalk-sink?mode=app&amp;appKey=RAW(");
        assertThat(metrics).as("the metrics were read")
                .contains("errcode=\"bot.stopped\",robot=\"stopped-bot\"}");
        for (String secret : List.of(SHARED_SECRET, OTHER_SECRET, SHARED_TOKEN, OTHER_TOKEN)) {
            assertThat(everything).as("nothing shows " + secret).noneMatch(s -> s.contains(secret));
        }
    }

    private String actuator(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String msgParam(String title, String text) throws Exception {
        Map<String, String> param = new LinkedHashMap<>();
        param.put("title", title);
        param.put("text", text);
        return JSON.writeValueAsString(param);
    }

    private static String jsonString(String value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    private static LoggedRequest onlyRequest(String path, String bodyPart) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !requests(path, bodyPart).isEmpty());
        List<LoggedRequest> found = requests(path, bodyPart);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<LoggedRequest> requests(String path, String bodyPart) {
        return DINGTALK.findAll(postRequestedFor(urlPathEqualTo(path)).withRequestBody(containing(bodyPart)));
    }
}
