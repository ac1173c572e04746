package io.github.sentrydingtalk;

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
        SpringApplication.run(Application.class, args);
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(@Value("${sentry.max-body-size}") DataSize max) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(max.toBytes()));
        registration.addUrlPatterns("/webhooks/*", "/admin/*");
        return registration;
    }
}
