package io.github.sentrydingtalk;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class IndexedSettingsScanTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    IndexedSettingsScanTest() {
        new IndexedSettingsScan().postProcessEnvironment(environment, new SpringApplication());
    }

    @Test
    void theHighestIndexFromFilesArgumentsAndEnvironmentVariables() {
        environment.getPropertySources().addFirst(new MapPropertySource("file", Map.of(
                "dingtalk.robots[0].name", "ops", "dingtalk.robots[12].access-token", "t",
                "dingtalk.robots-other", "x", "notify.silences[2].robot", "ops")));
        environment.getPropertySources().replace("systemEnvironment", new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("NOTIFY_SILENCES_40_PROJECT", "web", "DINGTALK_ROBOTS_30_NAME", "dev")));

        assertThat(environment.getProperty("sentry-dingtalk.last-index.dingtalk.robots")).isEqualTo("30");
        assertThat(environment.getProperty("sentry-dingtalk.last-index.notify.silences")).isEqualTo("40");
    }

    @Test
    void fromFilesAlone() {
        environment.getPropertySources().addFirst(new MapPropertySource("file", Map.of(
                "dingtalk.robots[0].name", "ops", "dingtalk.robots[12].access-token", "t", "dingtalk.robots-other", "x")));
        assertThat(environment.getProperty("sentry-dingtalk.last-index.dingtalk.robots")).isEqualTo("12");
        assertThat(environment.getProperty("sentry-dingtalk.last-index.notify.silences")).isEqualTo("-1");
    }

    @Test
    void sourcesAddedAfterStartCountAndNothingConfiguredIsMinusOne() {
        assertThat(environment.getProperty("sentry-dingtalk.last-index.dingtalk.robots")).isEqualTo("-1");
        environment.getPropertySources().addFirst(new MapPropertySource("later", Map.of("dingtalk.robots[900].name", "far")));
        assertThat(environment.getProperty("sentry-dingtalk.last-index.dingtalk.robots")).isEqualTo("900");
        assertThat(environment.getProperty("sentry-dingtalk.last-index.something.else")).isNull();
    }
}
