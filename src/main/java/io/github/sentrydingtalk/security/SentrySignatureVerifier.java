package io.github.sentrydingtalk.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.github.sentrydingtalk.common.CommaList;
import io.github.sentrydingtalk.common.HmacSha256;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Decides whether a webhook really comes from Sentry, before anything is parsed.
 * <ul>
 * <li>Integration Platform requests ({@code Sentry-Hook-Resource} present): with {@code sentry.client-secret}
 * set, {@code Sentry-Hook-Signature} must be the hex HMAC-SHA256 of the <b>raw</b> body under one of the
 * secrets (a comma list, so a secret can be rotated).</li>
 * <li>Legacy plugin requests cannot sign: with {@code sentry.webhook-token} set they must carry
 * {@code ?token=}.</li>
 * </ul>
 * Once any secret is configured, a request that skips its own check (dropping the resource header to pass
 * as legacy, or adding one) is refused too. With none configured, everything passes and the startup log
 * warns that the endpoint is open.
 */
public class SentrySignatureVerifier implements Processor {

    public static final String SIGNATURE_HEADER = "Sentry-Hook-Signature";

    private List<String> clientSecrets = List.of();
    private String webhookToken;

    public void setClientSecret(String clientSecret) {
        this.clientSecrets = CommaList.parse(clientSecret);
    }

    public void setWebhookToken(String webhookToken) {
        this.webhookToken = Secrets.isBlank(webhookToken) ? null : webhookToken.strip();
    }

    /** True when anyone can post alerts: nothing is configured. */
    public boolean isOpen() {
        return clientSecrets.isEmpty() && webhookToken == null;
    }

    @Override
    public void process(Exchange exchange) {
        if (isOpen()) {
            return;
        }
        boolean integration = exchange.getMessage().getHeader("Sentry-Hook-Resource") != null;
        if (integration && !clientSecrets.isEmpty()) {
            verifySignature(exchange);
        } else if (webhookToken != null) {
            verifyToken(exchange);
        } else {
            throw new UnauthorizedException("the legacy WebHooks plugin cannot sign its requests:"
                    + " set sentry.webhook-token and add ?token=<it> to the plugin's callback URL");
        }
    }

    private void verifySignature(Exchange exchange) {
        String given = exchange.getMessage().getHeader(SIGNATURE_HEADER, String.class);
        if (Secrets.isBlank(given)) {
            throw new UnauthorizedException("missing Sentry-Hook-Signature header");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String normalized = given.strip().toLowerCase(Locale.ROOT);
        for (String secret : clientSecrets) {
            if (Secrets.equalsConstantTime(hmacHex(secret, body == null ? new byte[0] : body), normalized)) {
                return;
            }
        }
        throw new UnauthorizedException("invalid Sentry-Hook-Signature: check sentry.client-secret");
    }

    private void verifyToken(Exchange exchange) {
        // Only the query string counts: a header named "token" must not stand in for it.
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        String given = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=")) {
                    given = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        if (given == null) {
            throw new UnauthorizedException("missing ?token= (sentry.webhook-token is set)");
        }
        if (!Secrets.equalsConstantTime(webhookToken, given)) {
            throw new UnauthorizedException("wrong ?token=");
        }
    }

    /** Hex HMAC-SHA256, as Sentry computes Sentry-Hook-Signature. */
    public static String hmacHex(String secret, byte[] body) {
        return HexFormat.of().formatHex(HmacSha256.digest(secret, body));
    }
}
