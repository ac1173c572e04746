package io.github.sentrydingtalk.kamelet;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.sentrydingtalk.dingtalk.DingTalkMessage;
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
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kamelets/dingtalk-sink.kamelet.yaml alone, from a plain route in a plain CamelContext (no Spring, no
 * Sentry), against a WireMock DingTalk: the exact request that reaches it, and what the caller gets back.
 */
class DingTalkSinkKameletTest {

    static final String TOKEN = "tok+en/1";
    static final String SECRET = "SECb4a4c6b1f1e5a7d0c7e2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
    static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer dingtalk = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        dingtalk.start();
        dingtalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        camel = new DefaultCamelContext();
        camel.getComponent("kamelet", KameletComponent.class).setLocation("file:kamelets");
        String sink = "kamelet:dingtalk-sink?accessToken=RAW(" + TOKEN + ")&secret=RAW(" + SECRET + ")"
                + "&keyword=RAW(告警)&atMobiles=13800000001&baseUrl=" + dingtalk.baseUrl();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alert").to(sink);
                from("direct:unreachable").to("kamelet:dingtalk-sink?accessToken=RAW(" + TOKEN + ")&secret=RAW(" + SECRET
                        + ")&baseUrl=http://127.0.0.1:" + closedPort() + "&connectTimeout=500");
                // A caller that retries: each redelivery runs the whole sink again, signed afresh.
                from("direct:retrying").errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(10))
                        .to(sink);
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
    void aMarkdownBodyGoesOutSignedWithKeywordAndMentionsAndNoHeaderOfTheCaller() throws Exception {
        Exchange done = camel.createProducerTemplate().request("direct:alert", e -> {
            e.getMessage().setBody("### Disk full\n\nhost **db1**");
            e.getMessage().setHeader("X-Caller-Secret", "keep-me-home");
            e.getMessage().setHeader(Exchange.HTTP_URI, "http://elsewhere.example/");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "/elsewhere");
        });
        assertThat(done.getException()).isNull();
        assertThat(done.getVariable("errcode")).isEqualTo("0");

        LoggedRequest request = onlyRequest();
        String timestamp = query(request).get("timestamp");
        assertThat(request.getUrl()).isEqualTo("/robot/send?access_token=tok%2Ben%2F1&timestamp=" + timestamp
                + "&sign=" + URLEncoder.encode(sign(timestamp, SECRET), StandardCharsets.UTF_8));
        assertThat(request.getBodyAsString()).isEqualTo("{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"【告警】Disk full\","
                + "\"text\":\"### Disk full\\n\\nhost **db1**\\n\\n@13800000001\"},"
                + "\"at\":{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[],\"isAtAll\":false}}");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(request.containsHeader("X-Caller-Secret")).isFalse();
    }

    @Test
    void aMessageInJsonKeepsItsTypeAndItsOwnMentions() throws Exception {
        camel.createProducerTemplate().requestBody("direct:alert",
                "{\"msgtype\":\"text\",\"text\":{\"content\":\"db1 is down\"},\"at\":{\"atUserIds\":[\"u7\"]}}");
        assertThat(onlyRequest().getBodyAsString()).isEqualTo("{\"msgtype\":\"text\",\"text\":{\"content\":\"【告警】db1 is down\"},"
                + "\"at\":{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[\"u7\"],\"isAtAll\":false}}");

        dingtalk.resetRequests();
        camel.createProducerTemplate().requestBody("direct:alert", "{\"msgtype\":\"actionCard\",\"actionCard\":{"
                + "\"title\":\"告警: db1\",\"text\":\"### db1\",\"btnOrientation\":\"0\",\"btns\":["
                + "{\"title\":\"Open\",\"actionURL\":\"https://e/1\"},{\"title\":\"Mute\",\"actionURL\":\"https://e/2\"}]}}");
        assertThat(onlyRequest().getBodyAsString()).isEqualTo("{\"msgtype\":\"actionCard\",\"actionCard\":{"
                + "\"title\":\"告警: db1\",\"text\":\"### db1\\n\\n@13800000001\",\"btnOrientation\":\"0\",\"btns\":["
                + "{\"title\":\"Open\",\"actionURL\":\"https://e/1\"},{\"title\":\"Mute\",\"actionURL\":\"https://e/2\"}]},"
                + "\"at\":{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[],\"isAtAll\":false}}");
    }

    @Test
    void aTypedMessageIsSentLikeItsJson() throws Exception {
        camel.createProducerTemplate().requestBody("direct:alert", DingTalkMessage.text("db1 is down",
                new DingTalkMessage.At(List.of(), List.of("u7"), false)));
        assertThat(onlyRequest().getBodyAsString()).isEqualTo("{\"msgtype\":\"text\",\"text\":{\"content\":\"【告警】db1 is down\"},"
                + "\"at\":{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[\"u7\"],\"isAtAll\":false}}");

        // a typed message without its part is refused like such JSON, before anything is sent
        dingtalk.resetRequests();
        assertThatThrownBy(() -> camel.createProducerTemplate().requestBody("direct:alert",
                new DingTalkMessage("markdown", null, null, null, null)))
                .hasRootCauseInstanceOf(PermanentDeliveryException.class)
                .rootCause().hasMessageContaining("not a DingTalk message");
        assertThat(dingtalk.getAllServeEvents()).isEmpty();
    }

    @Test
    void aTypedActionCardWithButtonsKeepsThemWithKeywordMentionsAndWithinTheLimit() throws Exception {
        List<DingTalkMessage.Button> buttons = List.of(new DingTalkMessage.Button("Open in Sentry", "https://s/issues/42/"),
                new DingTalkMessage.Button("Resolve", "https://alerts/actions/" + "a".repeat(400) + ".sig"),
                new DingTalkMessage.Button("Archive", "https://alerts/actions/" + "b".repeat(400) + ".sig"));
        String text = "### db1\n\n> " + "长".repeat(12_000) + "\n\n[👉 View](https://s/issues/42/)";
        camel.createProducerTemplate().requestBody("direct:alert", new DingTalkMessage("actionCard", null, null,
                new DingTalkMessage.ActionCard("db1 down", text, "0", null, null, buttons),
                new DingTalkMessage.At(List.of(), List.of("u7"), false)));
        String sent = onlyRequest().getBodyAsString();
        assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(20_000);
        var card = JSON.readTree(sent);
        assertThat(card.path("msgtype").asText()).isEqualTo("actionCard");
        assertThat(card.path("actionCard").path("title").asText()).isEqualTo("【告警】db1 down");
        assertThat(card.path("actionCard").path("text").asText()).startsWith("### db1\n\n> 长")
                .contains("…", "[👉 View](https://s/issues/42/)").endsWith("\n\n@13800000001 @u7");
        assertThat(JSON.treeToValue(card.path("actionCard").path("btns"), DingTalkMessage.Button[].class)).containsExactlyElementsOf(buttons);
        assertThat(card.path("at").toString()).isEqualTo("{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[\"u7\"],\"isAtAll\":false}");
    }

    @Test
    void aMessageTooLargeForDingTalkIsCutKeepingKeywordLinkAndMentions() throws Exception {
        String markdown = "### Huge\n\n> " + "长".repeat(12_000) + "\n\n[👉 View](https://e/1)";
        camel.createProducerTemplate().requestBody("direct:alert", markdown);
        String sent = onlyRequest().getBodyAsString();
        assertThat(sent.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(20_000);
        String text = JSON.readTree(sent).path("markdown").path("text").asText();
        assertThat(JSON.readTree(sent).path("markdown").path("title").asText()).isEqualTo("【告警】Huge");
        assertThat(text).startsWith("### Huge\n\n> 长长").contains("…\n\n[👉 View](https://e/1)").endsWith("\n\n@13800000001");
    }

    @Test
    void dingTalksErrcodeDecidesTheException() {
        answer(200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
        assertThatThrownBy(() -> send("direct:alert")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageStartingWith("errcode 310000 (sign not match): signature, keyword or IP rejected");
        answer(200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}");
        assertThatThrownBy(() -> send("direct:alert")).isInstanceOf(RateLimitedException.class);
        answer(200, "{\"errcode\":-1,\"errmsg\":\"system busy\"}");
        assertThatThrownBy(() -> send("direct:alert")).isInstanceOf(TransientDeliveryException.class);
        answer(502, "Bad Gateway");
        assertThatThrownBy(() -> send("direct:alert")).isInstanceOf(TransientDeliveryException.class)
                .hasMessage("DingTalk answered HTTP 502 (server error)");
        assertThatThrownBy(() -> send("direct:unreachable")).isInstanceOf(TransientDeliveryException.class)
                .hasMessageStartingWith("no answer from DingTalk (")
                .message().doesNotContain("tok").doesNotContain(SECRET);
        assertThatThrownBy(() -> send("direct:alert", "{\"msgtype\":\"link\"}")).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageStartingWith("not a DingTalk message");
    }

    @Test
    void theCallersRedeliveryRunsTheSinkAgainSignedAfresh() throws Exception {
        answer(200, "{\"errcode\":-1,\"errmsg\":\"system busy\"}");
        Exchange failed = camel.createProducerTemplate().request("direct:retrying", e -> e.getMessage().setBody("### Busy"));
        assertThat(failed.getException()).isInstanceOf(TransientDeliveryException.class);
        assertThat(failed.getVariable("attempts")).isEqualTo(3);

        List<LoggedRequest> attempts = dingtalk.findAll(postRequestedFor(urlPathEqualTo("/robot/send")));
        assertThat(attempts).hasSize(3);
        assertThat(attempts.stream().map(r -> query(r).get("timestamp")).distinct()).hasSize(3);
        for (LoggedRequest attempt : attempts) {
            Map<String, String> q = query(attempt);
            assertThat(q.get("sign")).isEqualTo(sign(q.get("timestamp"), SECRET));
            assertThat(attempt.getBodyAsString()).contains("\"text\":\"### Busy\\n\\n@13800000001\"");
        }
    }

    private void send(String endpoint) {
        send(endpoint, "### Boom");
    }

    private void send(String endpoint, String body) {
        try {
            camel.createProducerTemplate().requestBody(endpoint, body);
        } catch (CamelExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private void answer(int status, String body) {
        dingtalk.resetAll();
        dingtalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = dingtalk.findAll(postRequestedFor(urlPathEqualTo("/robot/send")));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    /** The query, each value URL-decoded once. */
    static Map<String, String> query(LoggedRequest request) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        String url = request.getUrl();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }

    /** DingTalk's own check: base64(HmacSHA256(secret, timestamp + "\n" + secret)). */
    static String sign(String timestamp, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
