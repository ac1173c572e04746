package io.github.sentrydingtalk;

import java.io.IOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.github.sentrydingtalk.robots.UnknownRobotException;
import io.github.sentrydingtalk.queue.Outbox;
import io.github.sentrydingtalk.security.AdminDisabledException;
import io.github.sentrydingtalk.security.HttpRefusals;
import io.github.sentrydingtalk.security.PayloadTooLargeException;
import io.github.sentrydingtalk.security.UnauthorizedException;
import io.github.sentrydingtalk.sentry.InvalidSentryPayloadException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/http-errors.camel.yaml alone: each failure's exact answer (status, headers, JSON body). */
class HttpErrorsTest {

    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.setProperty("notify.retry-after", "10");
        camel.getPropertiesComponent().setInitialProperties(settings);
        camel.getRegistry().bind("httpRefusals", new HttpRefusals());
        camel.getRegistry().bind("outbox", new Outbox());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveMandatoryResource(camel, "file:routes/http-errors.camel.yaml"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fail").routeId("fail").routeConfigurationId("http-errors")
                        .process(exchange -> {
                            throw exchange.getMessage().getBody(Exception.class);
                        });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Map<String, Object> answer(Exception failure) {
        Exchange exchange = camel.createFluentProducerTemplate().to("direct:fail")
                .withHeader("Sentry-Hook-Signature", "from the request").withBody(failure).send();
        assertThat(exchange.getException()).isNull();
        Map<String, Object> answer = new TreeMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> answer.put(name, String.valueOf(value)));
        answer.put("body", exchange.getMessage().getBody(String.class));
        return answer;
    }

    /** The answer: status, Content-Type, body, and any other headers (name, value, ...). */
    private static Map<String, Object> json(int status, String body, String... otherHeaders) {
        Map<String, Object> answer = new TreeMap<>(
                Map.of("CamelHttpResponseCode", String.valueOf(status), "Content-Type", "application/json", "body", body));
        for (int i = 0; i < otherHeaders.length; i += 2) {
            answer.put(otherHeaders[i], otherHeaders[i + 1]);
        }
        return answer;
    }

    @Test
    void refusalsAnswerTheirStatusWithTheirOwnReason() {
        assertThat(answer(new UnauthorizedException("wrong ?token=")))
                .isEqualTo(json(401, "{\"status\":\"unauthorized\",\"reason\":\"wrong ?token=\"}"));
        assertThat(answer(new AdminDisabledException())).isEqualTo(json(404,
                "{\"status\":\"disabled\",\"reason\":\"admin endpoints are off: set admin.token to use them\"}"));
        assertThat(answer(new UnknownRobotException("no robot with that name")))
                .isEqualTo(json(404, "{\"status\":\"not found\",\"reason\":\"no robot with that name\"}"));
        assertThat(answer(new InvalidSentryPayloadException("body is not valid JSON")))
                .isEqualTo(json(400, "{\"status\":\"rejected\",\"reason\":\"body is not valid JSON\"}"));
    }

    @Test
    void tooLargeAlsoClosesTheConnection() {
        assertThat(answer(new PayloadTooLargeException(10))).isEqualTo(json(413,
                "{\"status\":\"rejected\",\"reason\":\"body larger than sentry.max-body-size (10 bytes)\"}",
                "Connection", "close"));
    }

    @Test
    void aFullDataDirectoryIsUnavailableWithRetryAfter() {
        assertThat(answer(new IOException("No space left on device"))).isEqualTo(json(503,
                "{\"status\":\"unavailable\",\"reason\":\"the data directory cannot take the alert: No space left on device\"}",
                "Retry-After", "10"));
    }

    @Test
    void kafkaNotTakingTheAlertIsUnavailableWithRetryAfter() {
        assertThat(answer(new org.apache.kafka.common.errors.TimeoutException(
                "Topic sentry-dingtalk.robot.ops not present in metadata after 400 ms."))).isEqualTo(json(503,
                "{\"status\":\"unavailable\",\"reason\":\"Kafka cannot take the alert: Topic sentry-dingtalk.robot.ops not present in metadata after 400 ms.\"}",
                "Retry-After", "10"));
    }

    @Test
    void anythingElseIsAnInternalErrorThatDoesNotEchoTheFailure() {
        assertThat(answer(new IllegalStateException("detail with \"quotes\"")))
                .isEqualTo(json(500, "{\"status\":\"error\",\"reason\":\"internal error: nothing was accepted, see the service log\"}"));
    }
}
