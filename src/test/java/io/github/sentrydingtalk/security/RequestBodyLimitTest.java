package io.github.sentrydingtalk.security;

import java.io.ByteArrayInputStream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One reading of sentry.max-body-size and one 413 reason, for the Camel processor and the servlet filter. */
class RequestBodyLimitTest {

    @Test
    void readsBytesAndSpringsNotation() {
        assertThat(RequestBodyLimit.parseSize("1048576")).isEqualTo(1048576);
        assertThat(RequestBodyLimit.parseSize("512KB")).isEqualTo(512 * 1024);
        assertThat(RequestBodyLimit.parseSize(" 1mb ")).isEqualTo(1024 * 1024);
        assertThat(RequestBodyLimit.parseSize("2GB")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThatThrownBy(() -> RequestBodyLimit.parseSize("big"))
                .hasMessage("sentry.max-body-size must be a size >= 1 like 1048576, 512KB or 1MB, got 'big'");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithTheSharedReason() throws Exception {
        RequestBodyLimit limit = new RequestBodyLimit();
        limit.setMaxBodySize("4");
        try (CamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(new ByteArrayInputStream("12345".getBytes()));
            assertThatThrownBy(() -> limit.process(exchange)).isInstanceOf(PayloadTooLargeException.class)
                    .hasMessage(PayloadTooLargeException.reason(4))
                    .hasMessage("body larger than sentry.max-body-size (4 bytes)");
        }
    }
}
