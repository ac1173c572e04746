package io.github.sentrydingtalk;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndexedEnvironmentVariablesTest {

    private final IndexedEnvironmentVariables variables = new IndexedEnvironmentVariables(Map.of(
            "DINGTALK_ROBOTS_0_ACCESS_TOKEN", "token-0",
            "DINGTALK_ROBOTS_12_NAME", "ops",
            "NOTIFY_SILENCES_2_ROBOTS", "ops,dev",
            "NOTIFY_DATA_DIR", "/app/data"));

    @Test
    void listSettingsComeFromSpringBootStyleVariables() {
        assertThat(variables.getProperty("dingtalk.robots[0].access-token")).isEqualTo("token-0");
        assertThat(variables.getProperty("dingtalk.robots[12].name")).isEqualTo("ops");
        assertThat(variables.getProperty("notify.silences[2].robots")).isEqualTo("ops,dev");
        assertThat(variables.getProperty("dingtalk.robots[1].access-token")).isNull();
    }

    @Test
    void keysWithoutAnIndexAreLeftToCamel() {
        assertThat(variables.getProperty("notify.data-dir")).isNull();
        assertThat(IndexedEnvironmentVariables.variableName("notify.data-dir")).isEqualTo("NOTIFY_DATA_DIR");
    }
}
