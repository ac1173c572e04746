package io.github.sentrydingtalk.kamelet;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.sentrydingtalk.dingtalk.PermanentDeliveryException;
import io.github.sentrydingtalk.dingtalk.RateLimitedException;
import io.github.sentrydingtalk.dingtalk.TransientDeliveryException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kamelets/dingtalk-sink.kamelet.yaml in app mode (an enterprise app robot), from a plain route in a plain
 * CamelContext, against a WireMock stand-in of DingTalk's API: the token request, the exact message request,
 * the token's cache and refresh, and the exceptions DingTalk's string codes turn into.
 */
class DingTalkSinkAppModeTest {

    static final String APP_SECRET = "app-secret-Zx81-kamelet";
    static final String TOKEN_PATH = "/v1.0/oauth2/accessToken";
    static final String GROUP_PATH = "/v1.0/robot/groupMessages/send";
    static final String ONE_TO_ONE_PATH = "/v1.0/robot/oToMessages/batchSend";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Each test its own app key: tokens are cached per app for the whole JVM. */
    private static int apps;

    private final WireMockServer dingtalk = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private DefaultCamelContext camel;
    private String appKey;

    @BeforeEach
    void start() throws Exception {
        dingtalk.start();
        appKey = "dingapp" + (++apps);
        token("token-A", 7200);
        dingtalk.stubFor(post(urlPathEqualTo(GROUP_PATH)).willReturn(okJson("{\"processQueryKey\":\"q1\"}")));
        dingtalk.stubFor(post(urlPathEqualTo(ONE_TO_ONE_PATH)).willReturn(okJson(
                "{\"processQueryKey\":\"q2\",\"invalidStaffIdList\":[],\"flowControlledStaffIdList\":[]}")));
        camel = new DefaultCamelContext();
        camel.getComponent("kamelet", KameletComponent.class).setLocation("file:kamelets");
        String app = "kamelet:dingtalk-sink?mode=app&appKey=" + appKey + "&appSecret=RAW(" + APP_SECRET + ")"
                + "&robotCode=dingrobot7&keyword=RAW(告警)&apiBaseUrl=" + dingtalk.baseUrl();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:group").to(app + "&openConversationId=RAW(cid+abc/1==)");
                from("direct:people").to(app + "&userIds=manager7,oncall9");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        dingtalk.stop();
    }

    @Test
    void theTokenIsFetchedThenTheMessageSentToTheGroupWithItsExactMsgParam() throws Exception {
        Exchange done = camel.createProducerTemplate().request("direct:group", e -> {
            e.getMessage().setBody("### Disk full\n\nhost \"db1\"");
            e.getMessage().setHeader("X-Caller-Secret", "keep-me-home");
        });
        assertThat(done.getException()).isNull();
        assertThat(done.getVariable("errcode")).isEqualTo("0");
        assertThat(done.getMessage().getHeaders()).doesNotContainKey("x-acs-dingtalk-access-token");

        LoggedRequest token = only(TOKEN_PATH);
        assertThat(token.getBodyAsString()).isEqualTo("{\"appKey\":\"" + appKey + "\",\"appSecret\":\"" + APP_SECRET + "\"}");
        LoggedRequest send = only(GROUP_PATH);
        assertThat(send.getHeader("x-acs-dingtalk-access-token")).isEqualTo("token-A");
        assertThat(send.getHeader("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(send.containsHeader("X-Caller-Secret")).isFalse();
        assertThat(send.getBodyAsString()).isEqualTo("{\"robotCode\":\"dingrobot7\",\"openConversationId\":\"cid+abc/1==\","
                + "\"msgKey\":\"sampleMarkdown\",\"msgParam\":\"{\\\"title\\\":\\\"【告警】Disk full\\\","
                + "\\\"text\\\":\\\"### Disk full\\\\n\\\\nhost \\\\\\\"db1\\\\\\\"\\\"}\"}");
        assertThat(JSON.readTree(send.getBodyAsString()).path("msgParam").asText())
                .isEqualTo("{\"title\":\"【告警】Disk full\",\"text\":\"### Disk full\\n\\nhost \\\"db1\\\"\"}");
    }

    @Test
    void oneToOneGoesToBatchSendWithTheUserIds() throws Exception {
        camel.createProducerTemplate().requestBody("direct:people", "{\"msgtype\":\"text\",\"text\":{\"content\":\"db1 is down\"}}");
        assertThat(only(ONE_TO_ONE_PATH).getBodyAsString()).isEqualTo("{\"robotCode\":\"dingrobot7\","
                + "\"userIds\":[\"manager7\",\"oncall9\"],\"msgKey\":\"sampleText\",\"msgParam\":\"{\\\"content\\\":\\\"【告警】db1 is down\\\"}\"}");
    }

    @Test
    void anActionCardWithButtonsBecomesTheTemplateForThatManyButtons() throws Exception {
        camel.createProducerTemplate().requestBody("direct:group", "{\"msgtype\":\"actionCard\",\"actionCard\":{"
                + "\"title\":\"db1\",\"text\":\"### db1\",\"btnOrientation\":\"0\",\"btns\":["
                + "{\"title\":\"Open\",\"actionURL\":\"https://e/1\"},{\"title\":\"Resolve\",\"actionURL\":\"https://e/2\"},"
                + "{\"title\":\"Archive\",\"actionURL\":\"https://e/3\"}]}}");
        var sent = JSON.readTree(only(GROUP_PATH).getBodyAsString());
        assertThat(sent.path("msgKey").asText()).isEqualTo("sampleActionCard3");
        assertThat(sent.path("msgParam").asText()).isEqualTo("{\"title\":\"【告警】db1\",\"text\":\"### db1\","
                + "\"actionTitle1\":\"Open\",\"actionURL1\":\"https://e/1\",\"actionTitle2\":\"Resolve\",\"actionURL2\":\"https://e/2\","
                + "\"actionTitle3\":\"Archive\",\"actionURL3\":\"https://e/3\"}");
    }

    @Test
    void theTokenIsKeptAcrossMessagesAndFetchedAgainWhenItExpires() throws Exception {
        // the first token expires at once, the second lasts
        dingtalk.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"accessToken\":\"token-short\",\"expireIn\":0}")).willSetStateTo("second"));
        dingtalk.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson("{\"accessToken\":\"token-long\",\"expireIn\":7200}")));
        for (int i = 0; i < 3; i++) {
            camel.createProducerTemplate().requestBody("direct:group", "### Message " + i);
        }
        assertThat(dingtalk.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
        assertThat(dingtalk.findAll(postRequestedFor(urlPathEqualTo(GROUP_PATH))).stream()
                .map(r -> r.getHeader("x-acs-dingtalk-access-token")).toList())
                .containsExactly("token-short", "token-long", "token-long");
    }

    @Test
    void aTokenRejectedMidRunIsReplacedOnceAndTheMessageSentOnceMore() throws Exception {
        camel.createProducerTemplate().requestBody("direct:group", "### First");
        // DingTalk revokes token-A; the next token is token-B
        token("token-B", 7200);
        dingtalk.stubFor(post(urlPathEqualTo(GROUP_PATH)).withHeader("x-acs-dingtalk-access-token", equalTo("token-A"))
                .willReturn(aResponse().withStatus(401).withBody("{\"code\":\"InvalidAuthentication\",\"message\":\"不合法的access_token\"}")));
        Exchange second = camel.createProducerTemplate().request("direct:group", e -> e.getMessage().setBody("### Second"));
        assertThat(second.getException()).isNull();
        assertThat(second.getVariable("attempts")).isEqualTo(1);

        assertThat(dingtalk.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
        List<LoggedRequest> sends = dingtalk.findAll(postRequestedFor(urlPathEqualTo(GROUP_PATH)));
        assertThat(sends.stream().map(r -> r.getHeader("x-acs-dingtalk-access-token")).toList())
                .containsExactly("token-A", "token-A", "token-B");
        assertThat(sends.get(2).getBodyAsString()).isEqualTo(sends.get(1).getBodyAsString());
        assertThat(sends.get(2).getHeaders().keys()).doesNotContain("Www-Authenticate");
    }

    @Test
    void aTokenRejectedTwiceIsPermanentAndFetchedOnlyOnceMore() {
        dingtalk.stubFor(post(urlPathEqualTo(GROUP_PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":\"InvalidAuthentication\",\"message\":\"不合法的access_token\"}")));
        assertThatThrownBy(() -> send("direct:group")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageStartingWith("access token rejected, InvalidAuthentication (HTTP 401)")
                .hasMessageContaining("check the app robot's app-key and app-secret");
        assertThat(dingtalk.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
        assertThat(dingtalk.findAll(postRequestedFor(urlPathEqualTo(GROUP_PATH)))).hasSize(2);
    }

    @Test
    void dingTalksCodesDecideTheException() throws Exception {
        answer(429, "{\"code\":\"Throttling.Api\",\"message\":\"too many requests\"}");
        assertThatThrownBy(() -> send("direct:group")).isInstanceOf(RateLimitedException.class);
        answer(503, "{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}");
        assertThatThrownBy(() -> send("direct:group")).isInstanceOf(TransientDeliveryException.class)
                .isNotInstanceOf(RateLimitedException.class);
        answer(400, "{\"code\":\"bot.stopped\",\"message\":\"robot is stopped\"}");
        assertThatThrownBy(() -> send("direct:group")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessage("robot stopped or not found, bot.stopped (HTTP 400): robot is stopped: check robot-code and"
                        + " that the robot is published and enabled in the DingTalk developer console");
        // another app, whose secret DingTalk refuses
        dingtalk.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(400)
                .withBody("{\"code\":\"invalidParameter.appSecret\",\"message\":\"appSecret is wrong\"}")));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:wrong-secret").to("kamelet:dingtalk-sink?mode=app&appKey=" + appKey + "-other&appSecret=RAW("
                        + APP_SECRET + ")&robotCode=r&openConversationId=cid1&apiBaseUrl=" + dingtalk.baseUrl());
            }
        });
        assertThatThrownBy(() -> send("direct:wrong-secret")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageStartingWith("DingTalk gave no access token")
                .hasMessageContaining("check the app robot's app-key and app-secret")
                .message().doesNotContain(APP_SECRET);
    }

    @Test
    void aMissingSettingIsNamedBeforeAnythingIsSent() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:half").to("kamelet:dingtalk-sink?mode=app&appKey=k&appSecret=RAW(s)&robotCode=r"
                        + "&apiBaseUrl=" + dingtalk.baseUrl());
            }
        });
        assertThatThrownBy(() -> send("direct:half")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessage("dingtalk-sink in app mode: set exactly one of openConversationId (a group) and userIds (one-to-one)");
        assertThat(dingtalk.getAllServeEvents()).isEmpty();
    }

    private void token(String token, int expireIn) {
        dingtalk.stubFor(post(urlPathEqualTo(TOKEN_PATH))
                .willReturn(okJson("{\"accessToken\":\"" + token + "\",\"expireIn\":" + expireIn + "}")));
    }

    private void answer(int status, String body) {
        dingtalk.stubFor(post(urlPathEqualTo(GROUP_PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private void send(String endpoint) {
        try {
            camel.createProducerTemplate().requestBody(endpoint, "### Boom");
        } catch (CamelExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private LoggedRequest only(String path) {
        List<LoggedRequest> requests = dingtalk.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
