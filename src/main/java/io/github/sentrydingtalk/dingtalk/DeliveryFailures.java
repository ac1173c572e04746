package io.github.sentrydingtalk.dingtalk;

import org.apache.camel.Exchange;

/**
 * Names an HTTP attempt that got no complete answer from DingTalk (connection refused or reset,
 * deadline, answer too large) as a transient delivery failure, retried by the caller. Reasons never hold
 * the robot's token or secret.
 */
public class DeliveryFailures {

    private String accessToken;
    private String secret;
    private String appSecret;

    /** To keep the robot's token out of every reason. */
    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    /** To keep the robot's secret out of every reason. */
    public void setSecret(String secret) {
        this.secret = secret;
    }

    /** An app robot's secret, to keep it out of every reason. */
    public void setAppSecret(String appSecret) {
        this.appSecret = appSecret;
    }

    /**
     * The HTTP attempt failed (connection refused or reset, deadline, answer too large): throws
     * {@link TransientDeliveryException}. camel-http 4.17 replaces the message when an answer breaks
     * off half-way, taking the error handler's attempt counter (a header) with it, so retries would
     * never end: the counter is put back from our own count (variable {@code attempts}).
     */
    public void throwNoAnswer(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int redeliveries = exchange.getVariable("attempts", 1, Integer.class) - 1;
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, redeliveries);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, redeliveries);
        String cause = failure == null ? "unknown failure"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        throw new TransientDeliveryException(mask(masked("no answer from DingTalk (" + cause
                + "): check the network, proxy and dingtalk.base-url", accessToken, secret), appSecret), 0, null, null);
    }

    /** A message from FreeMarker or the HTTP client may quote a value or a URL: never a token or secret. */
    public static String masked(String reason, String accessToken, String secret) {
        String out = reason.replaceAll("(?i)(access_token|sign|timestamp)=[^&\\s\"')]*", "$1=…");
        return mask(mask(out, accessToken), secret);
    }

    private static String mask(String text, String secret) {
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "…");
    }
}
