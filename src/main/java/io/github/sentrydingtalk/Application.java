package io.github.sentrydingtalk;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

/**
 * Spring Boot runtime. All behaviour lives in routes/*.camel.yaml; this class only boots Camel and
 * adds the one guard that must run before Camel reads a request: the body size limit.
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
    static final Map<String, Object> SPRING_ONLY_DEFAULTS = Map.of(
            "camel.metrics.enable-exchange-event-notifier", "false",
            "camel.metrics.route-policy-level", "context");

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(@Value("${sentry.max-body-size}") DataSize max) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(max.toBytes()));
        registration.addUrlPatterns("/webhooks/*", "/admin/*");
        return registration;
    }
}
