package io.github.sentrydingtalk.dingtalk;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

import io.github.sentrydingtalk.common.HmacSha256;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Puts {@code access_token} and, for robots with a SEC secret, a fresh {@code timestamp} and
 * {@code sign} into the query of the DingTalk request (header {@code CamelHttpQuery}). It runs on
 * every attempt, so a retry an hour later still carries a valid timestamp.
 * <p>
 * The query goes into a header rather than the endpoint URI so the token never becomes part of an
 * endpoint name (which Camel logs, caches and exposes). The Base64 sign is URL-encoded here exactly
 * once; camel-http leaves valid %XX escapes alone.
 * <p>
 * As it runs once per attempt, it also counts attempts in the variable {@code attempts}: Camel's
 * own redelivery counter lives in a header that does not survive the HTTP call.
 */
public class DingTalkSigner implements Processor {

    private Clock clock = Clock.systemUTC();
    private String accessToken;
    private String secret;

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    /** The robot's SEC secret; none (or blank) for a robot that does not sign. */
    public void setSecret(String secret) {
        this.secret = secret;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setVariable("attempts", exchange.getVariable("attempts", 0, Integer.class) + 1);
        if (accessToken == null || accessToken.isBlank()) {
            throw new PermanentDeliveryException("no accessToken: a webhook robot needs its access token"
                    + " (or set mode=app for an enterprise app robot)", 0, null, null);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query(new DingTalkSink(accessToken, secret, null, null, null, false)));
    }

    /** The query for one attempt to this robot, signed now. */
    public String query(DingTalkSink sink) {
        StringBuilder query = new StringBuilder("access_token=").append(encode(sink.accessToken()));
        if (sink.signed()) {
            long timestamp = clock.millis();
            query.append("&timestamp=").append(timestamp)
                    .append("&sign=").append(encode(sign(timestamp, sink.secret())));
        }
        return query.toString();
    }

    /** base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret)), not yet URL-encoded. */
    public static String sign(long timestampMillis, String secret) {
        byte[] digest = HmacSha256.digest(secret, (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(digest);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
