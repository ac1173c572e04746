package io.github.sentrydingtalk;

import io.github.sentrydingtalk.dingtalk.DeliveryException;
import io.github.sentrydingtalk.dingtalk.PermanentDeliveryException;
import io.github.sentrydingtalk.dingtalk.RateLimitedException;
import io.github.sentrydingtalk.dingtalk.TransientDeliveryException;
import io.github.sentrydingtalk.dingtalk.DingTalkResponseClassifier;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DingTalkResponseClassifierTest {

    private static Exchange answer(int status, String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @ParameterizedTest
    @ValueSource(ints = {130101, 410100, -1})
    void rateLimitAndBusyAreTransient(int errcode) {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(
                answer(200, "{\"errcode\":" + errcode + ",\"errmsg\":\"x\"}")))
                .isInstanceOf(TransientDeliveryException.class)
                .hasMessageStartingWith("errcode " + errcode + " (x): ");
    }

    @ParameterizedTest
    @CsvSource({
            "310000, check the robot's secret",
            "300001, check the robot's access-token",
            "300005, check the robot's access-token",
            "400101, check the robot's access-token",
            "400102, robot is disabled",
            "400106, robot is not in the group",
            "400013, the group no longer exists",
            "430101, unsafe",
            "460101, message too large",
            "999999, unexpected errcode"})
    void everythingElseIsPermanentAndSaysWhatToDo(int errcode, String advice) {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(
                answer(200, "{\"errcode\":" + errcode + ",\"errmsg\":\"m\"}")))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining(advice)
                .extracting(e -> ((DeliveryException) e).getErrcode()).isEqualTo(errcode);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreTransient(int status) {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(answer(status, "<html>")))
                .isInstanceOf(TransientDeliveryException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 302})
    void otherStatusesArePermanent(int status) {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(answer(status, "")))
                .isInstanceOf(PermanentDeliveryException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<html>proxy</html>", "{\"ok\":true}", "{\"errcode\":\"abc\"}"})
    void anAnswerWithoutErrcodeIsRetried(String body) {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(answer(200, body)))
                .isInstanceOf(TransientDeliveryException.class);
    }

    @org.junit.jupiter.api.Test
    void errcodeZeroIsSuccess() {
        Exchange exchange = answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        new DingTalkResponseClassifier().process(exchange);
        assertThat(exchange.getVariable("dingtalkResponse")).isEqualTo("errcode 0 (ok)");
    }

    @org.junit.jupiter.api.Test
    void theErrcodeWinsOverTheStatus429IsARateLimit() {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(
                answer(429, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}")))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageStartingWith("errcode 130101 (send too fast): rate limited")
                .extracting(e -> ((DeliveryException) e).getHttpStatus()).isEqualTo(429);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<html>Too Many Requests</html>"})
    void a429WithoutErrcodeIsARateLimitToo(String body) {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(answer(429, body)))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageStartingWith("DingTalk answered HTTP 429 (too many requests)");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 302})
    void errcodeZeroIsDeliveredWhateverTheStatus(int status) {
        Exchange exchange = answer(status, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        new DingTalkResponseClassifier().process(exchange);
        assertThat(exchange.getVariable("dingtalkResponse")).isEqualTo("errcode 0 (ok)");
        assertThat(exchange.getVariable("errcode")).isEqualTo("0");
    }

    @org.junit.jupiter.api.Test
    void aPermanentErrcodeOnAServerErrorIsPermanent() {
        assertThatThrownBy(() -> new DingTalkResponseClassifier().process(
                answer(502, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}")))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("check the robot's secret");
    }
}
