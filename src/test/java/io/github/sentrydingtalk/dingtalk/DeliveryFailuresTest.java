package io.github.sentrydingtalk.dingtalk;

import java.net.SocketException;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryFailuresTest {

    private DeliveryFailures failures;

    @BeforeEach
    void setUp() {
        failures = new DeliveryFailures();
        failures.setAccessToken("tok-123");
        failures.setSecret("SECabc");
    }

    private static Exchange exchange(Throwable caught, int attempts) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        exchange.setVariable("attempts", attempts);
        return exchange;
    }

    @Test
    void anAttemptWithoutAnswerIsTransientCountedAndFreeOfTheQuery() {
        Exchange exchange = exchange(new SocketException("Connection reset for /robot/send?access_token=tok-123&sign=xyz"), 2);
        assertThatThrownBy(() -> failures.throwNoAnswer(exchange))
                .isInstanceOf(TransientDeliveryException.class)
                .hasMessage("no answer from DingTalk (SocketException: Connection reset for /robot/send?access_token=…&sign=…)"
                        + ": check the network, proxy and dingtalk.base-url");
        // the error handler reads its count from this header: 1 retry so far
        assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
    }
}
