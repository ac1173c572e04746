package io.github.sentrydingtalk;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CamelMainRuntime's command line: {@code --name=value} as the jar's, and never a secret in its complaint. */
class CamelMainRuntimeArgumentsTest {

    @Test
    void nameValueArgumentsBecomeSettings() {
        assertThat(CamelMainRuntime.settings(new String[] {"--server.port=9000", "--dingtalk.robots[0].secret=SECa=b"}))
                .isEqualTo(Map.of("server.port", "9000", "dingtalk.robots[0].secret", "SECa=b"));
    }

    @Test
    void anArgumentOfAnotherFormIsNamedByItsPositionNotShown() {
        assertThatThrownBy(() -> CamelMainRuntime.settings(new String[] {"--server.port=9000", "--dingtalk.robots[0].secret", "SECsplitoff"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument 2 is not --name=value")
                .hasMessageNotContaining("SECsplitoff").hasMessageNotContaining("robots[0]");
        assertThatThrownBy(() -> CamelMainRuntime.settings(new String[] {"SECsplitoff"}))
                .hasMessageStartingWith("argument 1 is not --name=value").hasMessageNotContaining("SECsplitoff");
    }
}
