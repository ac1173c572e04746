package io.github.sentrydingtalk;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.github.sentrydingtalk.dingtalk.DingTalkSigner;
import io.github.sentrydingtalk.dingtalk.DingTalkSink;
import io.github.sentrydingtalk.robots.Robot;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DingTalkSignerTest {

    // Vector computed with Python's hmac/base64/urllib (an independent implementation):
    // base64(HmacSHA256(secret, "1732425600000\n" + secret)), then quote_plus.
    static final String SECRET = "SECb4a4c6b1f1e5a7d0c7e2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
    static final long TIMESTAMP = 1732425600000L;
    static final String SIGN = "/Nho83wvw6zKMl+PMTzCY4rS/DM7/ZtXtKH5yI+lnQ8=";
    static final String SIGN_URL_ENCODED = "%2FNho83wvw6zKMl%2BPMTzCY4rS%2FDM7%2FZtXtKH5yI%2BlnQ8%3D";

    @Test
    void signMatchesTheKnownVector() {
        assertThat(DingTalkSigner.sign(TIMESTAMP, SECRET)).isEqualTo(SIGN);
    }

    @Test
    void queryCarriesTokenTimestampAndTheSignEncodedOnce() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        DingTalkSigner signer = signerFor("tok+en/1", SECRET);
        signer.setClock(Clock.fixed(Instant.ofEpochMilli(TIMESTAMP), ZoneOffset.UTC));

        signer.process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_QUERY))
                .isEqualTo("access_token=tok%2Ben%2F1&timestamp=" + TIMESTAMP + "&sign=" + SIGN_URL_ENCODED);
        assertThat(exchange.getVariable("attempts")).isEqualTo(1);
    }

    @Test
    void robotWithoutSecretSendsTheTokenOnly() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        signerFor("abc", null).process(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_QUERY)).isEqualTo("access_token=abc");
    }

    @Test
    void robotNeverShowsItsSecretsWhenPrinted() {
        Robot robot = new Robot("ops", "the-token", SECRET, "kw", List.of("1"), List.of(), false, false);
        assertThat(robot.toString()).isEqualTo("Robot[ops]");
    }

    @Test
    void aSinkNeverShowsItsSecretsWhenPrinted() {
        DingTalkSink sink = new DingTalkSink("the-token", SECRET, "kw", List.of("1"), List.of(), false);
        assertThat(sink.toString()).isEqualTo("DingTalkSink[signed, keyword, mentions]");
    }

    private static DingTalkSigner signerFor(String accessToken, String secret) {
        DingTalkSigner signer = new DingTalkSigner();
        signer.setAccessToken(accessToken);
        signer.setSecret(secret);
        return signer;
    }
}
