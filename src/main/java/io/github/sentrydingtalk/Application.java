package io.github.sentrydingtalk;

import java.time.Duration;
import java.util.Map;

import io.github.sentrydingtalk.security.RequestBodyLimit;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Spring Boot runtime. All behaviour lives in routes/*.camel.yaml; this class only boots Camel and
 * adds the guards that must run before Camel sees a request: the intake gate (503 while starting or
 * stopping) and the body size limit.
 */
@SpringBootApplication
public class Application {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(Application.class);
        app.setDefaultProperties(SPRING_ONLY_DEFAULTS);
        app.run(args);
    }

    /**
     * Defaults that only Spring Boot understands; kept out of application.properties because camel-main
     * reads that file too and refuses camel.metrics.* without camel-micrometer-prometheus. Per-exchange
     * timers for every endpoint and route cost about a tenth of the webhook's CPU and nobody reads them:
     * the service's own metrics are the sentry_dingtalk_* ones. Any of these can still be overridden.
     */
    public static final Map<String, Object> SPRING_ONLY_DEFAULTS = Map.of(
            "camel.metrics.enable-exchange-event-notifier", "false",
            "camel.metrics.route-policy-level", "context");

    @Bean
    IntakeGate intakeGate(@Value("${notify.retry-after}") int retryAfterSeconds) {
        return new IntakeGate(retryAfterSeconds);
    }

    @Bean
    FilterRegistrationBean<IntakeGate> intakeGateFilter(IntakeGate gate) {
        FilterRegistrationBean<IntakeGate> registration = new FilterRegistrationBean<>(gate);
        registration.addUrlPatterns("/webhooks/*", "/admin/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Ready: the routes run (Camel adds them when the context is refreshed, after the port opened). Warm
     * up, then let webhooks in. Spring marks the readiness probe UP only after this listener returns. (In
     * tests Camel may start later than Spring says ready: then the gate opens once Camel has started.)
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> openIntakeWhenReady(IntakeGate gate, CamelContext camel,
            @Value("${notify.exit-after-warm-up:false}") boolean exitAfterWarmUp) {
        return event -> {
            if (camel.isStarted()) {
                warmUpAndOpen(camel, gate);
                if (exitAfterWarmUp) { // a training run: the classes it loaded go into the image's CDS archive
                    System.exit(SpringApplication.exit(event.getApplicationContext()));
                }
                return;
            }
            try {
                camel.addStartupListener(new ExtendedStartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                        warmUpAndOpen(context, gate);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void warmUpAndOpen(CamelContext camel, IntakeGate gate) {
        try (var template = camel.createProducerTemplate()) {
            template.sendBody("direct:warm-up", null);
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
        gate.open();
    }

    /**
     * Shutdown begins: Spring has just marked the readiness probe DOWN. New webhooks get 503 from here
     * on (Sentry retries them); those in progress finish, then Tomcat and Camel stop.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> closeIntakeOnShutdown(IntakeGate gate) {
        return event -> gate.close();
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(@Value("${sentry.max-body-size}") String max,
            @Value("${sentry.body-read-timeout}") Duration readTimeout, @Value("${notify.retry-after}") int retryAfter) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(RequestBodyLimit.parseSize(max), readTimeout, retryAfter));
        registration.addUrlPatterns("/webhooks/*", "/admin/*");
        return registration;
    }
}
