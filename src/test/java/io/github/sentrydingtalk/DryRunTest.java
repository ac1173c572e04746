package io.github.sentrydingtalk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With no robot configured the service still runs and shows, in the log and in files, what it would send. */
@ExtendWith(OutputCaptureExtension.class)
class DryRunTest extends ServiceTestSupport {

    static final Path DATA_DIR = tempDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("notify.data-dir", DATA_DIR::toString);
        // Nothing may be sent anywhere: an unreachable DingTalk would turn a send into a dead letter.
        registry.add("dingtalk.base-url", () -> "http://127.0.0.1:9");
    }

    @Test
    void logsAndWritesTheMessageItWouldSend(CapturedOutput output) throws Exception {
        postFixture("legacy-plugin.python-exception.json", null);

        Path dryRun = DATA_DIR.resolve("dry-run");
        await().atMost(Duration.ofSeconds(20)).until(() -> writtenFiles(dryRun).size() == 1);
        JsonNode message = JSON.readTree(Files.readString(writtenFiles(dryRun).get(0)));
        assertThat(message.path("msgtype").asText()).isEqualTo("markdown");
        assertThat(message.path("markdown").path("title").asText()).isEqualTo("【foo-live】 ValueError: new sentry error.");
        assertThat(message.path("markdown").path("text").asText()).startsWith("### 【foo-live】 ValueError: new sentry error.\n");

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("DRY RUN"));
        assertThat(output.getOut()).contains("title: 【foo-live】 ValueError: new sentry error.")
                .contains("- **📍 Location**: `__main__ in <module>`");
        assertThat(files(DATA_DIR.resolve("dead-letter"))).isEmpty();
        // Nothing configured: the startup log says so.
        assertThat(output.getAll()).contains("POST /webhooks/sentry is open to anyone");
    }
}
