package io.github.sentrydingtalk;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentry payload in, exact DingTalk request out: URL with token, timestamp and a signature
 * recomputed here, and the JSON body, for two robots configured two different ways.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + DeliveryEndToEndTest.OPS_TOKEN,
        "dingtalk.robots[0].secret=" + DeliveryEndToEndTest.OPS_SECRET,
        "dingtalk.robots[0].keyword=告警",
        "dingtalk.robots[0].at-mobiles=13800000001, 13800000002",
        "notify.time-zone=Asia/Shanghai",
})
@ContextConfiguration(initializers = DeliveryEndToEndTest.PlainRobotFromEnvironment.class)
class DeliveryEndToEndTest extends ServiceTestSupport {

    static final String OPS_TOKEN = "ops-token-0001";
    static final String OPS_SECRET = "SECb4a4c6b1f1e5a7d0c7e2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
    static final String PLAIN_TOKEN = "plain-token-0002";

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    /** The second robot arrives as environment variables, as in a container: relaxed binding must find it. */
    static class PlainRobotFromEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addLast(new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                    "DINGTALK_ROBOTS_1_NAME", "plain",
                    "DINGTALK_ROBOTS_1_ACCESS_TOKEN", PLAIN_TOKEN)));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @BeforeEach
    void answerOk() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @Test
    void legacyPluginAlertReachesBothRobotsSignedAndFormatted() throws Exception {
        HttpResponse<String> answer = postFixture("legacy-plugin.python-exception.json", null);
        assertThat(JSON.readTree(answer.body()).path("status").asText()).isEqualTo("accepted");

        LoggedRequest ops = awaitMessages(DINGTALK, OPS_TOKEN, 1).get(0);
        LoggedRequest plain = awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0);

        // Signed robot: token, fresh timestamp, and a sign that DingTalk would recompute.
        Map<String, String> q = query(ops);
        assertThat(q.keySet()).containsExactly("access_token", "timestamp", "sign");
        long timestamp = Long.parseLong(q.get("timestamp"));
        assertThat(Math.abs(System.currentTimeMillis() - timestamp)).isLessThan(60_000);
        String sign = expectedSign(q.get("timestamp"), OPS_SECRET);
        assertThat(q.get("sign")).isEqualTo(sign);
        assertThat(rawParam(ops, "sign")).as("URL-encoded exactly once").isEqualTo(URLEncoder.encode(sign, StandardCharsets.UTF_8));
        assertThat(ops.getHeader("Content-Type")).startsWith("application/json");
        assertThat(ops.getHeaders().keys()).noneMatch(h -> h.toLowerCase().startsWith("sentry") || h.startsWith("Camel"));

        String expectedText = """
                ### 【告警】【foo-live】 ValueError: new sentry error.

                - **📦 Project**: foo-live (live)
                - **🚦 Level**: error
                - **📍 Location**: `__main__ in <module>`

                📢 **Trigger**: Send a notification for new events

                [👉 View Issue on Sentry](https://sentry.io/organizations/bar-foundation/issues/1972208801/)

                @13800000001 @13800000002""";
        JsonNode expectedOps = JSON.readTree("""
                {"msgtype":"markdown",
                 "markdown":{"title":"【告警】【foo-live】 ValueError: new sentry error.","text":%s},
                 "at":{"atMobiles":["13800000001","13800000002"],"atUserIds":[],"isAtAll":false}}
                """.formatted(JSON.writeValueAsString(expectedText)));
        assertThat(body(ops)).isEqualTo(expectedOps);

        // Plain robot: token only, no keyword, no mentions.
        assertThat(query(plain)).containsOnlyKeys("access_token");
        JsonNode expectedPlain = JSON.readTree("""
                {"msgtype":"markdown",
                 "markdown":{"title":"【foo-live】 ValueError: new sentry error.","text":%s},
                 "at":{"atMobiles":[],"atUserIds":[],"isAtAll":false}}
                """.formatted(JSON.writeValueAsString(expectedText
                .replace("【告警】", "").replace("\n\n@13800000001 @13800000002", ""))));
        assertThat(body(plain)).isEqualTo(expectedPlain);
    }

    @Test
    void eventAlertUsesWebUrlSlugFromEventUrlAndTriggeredRule() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert");
        LoggedRequest plain = awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0);
        assertThat(body(plain).path("markdown").path("title").asText())
                .isEqualTo("【front-end】 ReferenceError: heck is not defined");
        assertThat(text(plain)).isEqualTo("""
                ### 【front-end】 ReferenceError: heck is not defined

                - **📦 Project**: front-end
                - **🚦 Level**: error
                - **📍 Location**: `?(<anonymous>)`

                📢 **Trigger**: Very Important Alert Rule!

                [👉 View Issue on Sentry](https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/)""");
    }

    @Test
    void errorWebhookIsFormattedLikeAnEvent() throws Exception {
        postFixture("error.created.json", "error");
        String text = text(awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0));
        assertThat(text).startsWith("### 【front-end】 ReferenceError: heck is not defined\n")
                .contains("- **📍 Location**: `?(<anonymous>)`")
                .doesNotContain("Trigger");
    }

    @Test
    void issueWebhooksSayWhatHappenedAndByWhom() throws Exception {
        postFixture("issue.created.json", "issue");
        String created = text(awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0));
        assertThat(created).isEqualTo("""
                ### 【front-end】 ReferenceError: blooopy is not defined

                **🆕 New issue**

                - **📦 Project**: front-end
                - **🚦 Level**: error
                - **📍 Location**: `?(runner)`
                - **🔖 Issue**: FRONT-END-9
                - **📈 Events**: 1, users: 1
                - **🕐 First seen**: 2019-08-20 04:58:37
                - **🕑 Last seen**: 2019-08-20 04:58:37""");

        postFixture("issue.resolved.json", "issue");
        String resolved = text(awaitMessages(DINGTALK, PLAIN_TOKEN, 2).get(1));
        assertThat(resolved).contains("**✅ Resolved** by Li Lei")
                .endsWith("[👉 View Issue on Sentry](https://sentry.io/organizations/test-org/issues/1170820242/)");

        postFixture("issue.assigned.json", "issue");
        assertThat(text(awaitMessages(DINGTALK, PLAIN_TOKEN, 3).get(2)))
                .contains("**👤 Assigned** to Han Meimei by Li Lei");
    }

    @Test
    void metricAlertsShowStatusRuleAndDescription() throws Exception {
        postFixture("metric_alert.resolved.json", "metric_alert");
        assertThat(text(awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0))).isEqualTo("""
                ### 【bar】 Resolved: Too many errors

                **✅ Resolved**: Too many errors

                - **📦 Project**: bar
                - **🕐 Started**: 2020-09-13 20:26:40

                > 1000 events in the last 10 minutes
                > Filter: level:error

                [👉 View Alert on Sentry](https://sentry.io/organizations/baz/alerts/1/)""");

        postFixture("metric_alert.critical.json", "metric_alert");
        assertThat(text(awaitMessages(DINGTALK, PLAIN_TOKEN, 2).get(1)))
                .startsWith("### 【bar】 Critical: Too many errors\n\n**🚨 Critical**: Too many errors\n")
                .contains("- **🌍 Env**: production");
    }

    @Test
    void chineseTextArrivesIntactAndSentryMarkdownCannotChangeTheLayout() throws Exception {
        postFixture("legacy-plugin.chinese-markdown.json", null);
        LoggedRequest ops = awaitMessages(DINGTALK, OPS_TOKEN, 1).get(0);
        JsonNode body = body(ops);
        assertThat(body.path("markdown").path("title").asText()).isEqualTo("【告警】【pay-service】 支付失败：余额不足 *重要*");
        assertThat(text(ops)).isEqualTo("""
                ### 【告警】【pay-service】 支付失败：余额不足 \\*重要\\*

                - **📦 Project**: pay-service (支付服务)
                - **🌍 Env**: 生产
                - **🚦 Level**: error
                - **📍 Location**: `订单.创建 in '提交'`

                > \\*\\*注意\\*\\* 用户 \\[点我\\](https://evil.example/phish) 付款失败
                > \\# 不是标题
                > \\> 不是引用 @13800000000

                📢 **Trigger**: Send a notification for new events

                [👉 View Issue on Sentry](https://sentry.example.com/organizations/acme/issues/42/?foo=bar)

                @13800000001 @13800000002""");
        // Sentry text mentioning a mobile does not add it to the people notified.
        assertThat(body.path("at").path("atMobiles").toString()).isEqualTo("[\"13800000001\",\"13800000002\"]");
    }

    @Test
    void allNullAndWrongTypedFieldsStillGiveAMessageWithoutNull() throws Exception {
        postFixture("legacy-plugin.all-null.json", null);
        LoggedRequest allNull = awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0);
        assertThat(body(allNull).path("markdown").path("title").asText()).isEqualTo("Sentry alert");
        assertThat(text(allNull)).isEqualTo("### Sentry alert");

        postFixture("legacy-plugin.wrong-types.json", null);
        LoggedRequest wrongTypes = awaitMessages(DINGTALK, PLAIN_TOKEN, 2).get(1);
        assertThat(body(wrongTypes).path("markdown").path("title").asText()).isEqualTo("Sentry alert");
        // A number is no link, objects are no names; a plain string where a list belongs is still read.
        assertThat(text(wrongTypes)).isEqualTo("### Sentry alert\n\n📢 **Trigger**: not-a-list");
    }

    @Test
    void longStackTraceGivesABoundedMessage() throws Exception {
        postFixture("event_alert.long-stacktrace.json", "event_alert");
        LoggedRequest plain = awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0);
        assertThat(body(plain).path("markdown").path("title").asText()).isEqualTo("【front-end】 KeyError: 'sku'");
        assertThat(text(plain)).contains("- **🌍 Env**: production");
        assertThat(plain.getBody().length).isLessThan(20_000);
    }

    @Test
    void requestsWithoutAnAlertAreAnsweredAndSendNothing() throws Exception {
        HttpResponse<String> installation = postWebhook("{\"action\":\"created\",\"data\":{}}".getBytes(), "installation");
        assertThat(installation.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(installation.body()).path("status").asText()).isEqualTo("ignored");
        HttpResponse<String> comment = postWebhook("{\"action\":\"created\",\"data\":{}}".getBytes(), "comment");
        assertThat(JSON.readTree(comment.body()).path("status").asText()).isEqualTo("ignored");

        HttpResponse<String> notJson = postWebhook("not json".getBytes(), null);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("reason").asText()).isEqualTo("body is not valid JSON");
        HttpResponse<String> array = postWebhook("[1,2]".getBytes(), null);
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(array.body()).path("reason").asText()).isEqualTo("body must be a JSON object");

        // Alerts are queued in order: once the next real alert is delivered, nothing else was sent.
        postFixture("metric_alert.critical.json", "metric_alert");
        awaitMessages(DINGTALK, PLAIN_TOKEN, 1);
        awaitMessages(DINGTALK, OPS_TOKEN, 1);
        assertThat(allRequests(DINGTALK)).isEqualTo(2);
    }

    @Test
    void aBodyThatIsNotJsonByContentTypeIsRefused() throws Exception {
        HttpResponse<String> form = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/webhooks/sentry"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        postFixture("issue.assigned.json", "issue");
        awaitMessages(DINGTALK, PLAIN_TOKEN, 1);
    }

    @Test
    void adminEndpointsAreOffWithoutAnAdminToken() throws Exception {
        HttpResponse<String> preview = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/admin/preview?robot=plain"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer anything")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(fixture("issue.created.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preview.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(preview.body()).path("reason").asText()).contains("set admin.token");
    }

    @Test
    void wrongMethodIsRefused() {
        HttpResponse<String> get;
        try {
            get = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/webhooks/sentry"))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(get.statusCode()).isEqualTo(405);
    }
}
