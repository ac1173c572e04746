package io.github.sentrydingtalk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dead letter of a permanently failing alert cannot be written ({@code dead-letter} is a regular
 * file): the alert stays in the outbox and the robot is not left busy. Once the folder can be written,
 * the alert is dead-lettered and the robot's next alerts go out.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + DeadLetterWriteFailureTest.OPS_TOKEN,
        "dingtalk.retry.outage-pause=1s",
})
class DeadLetterWriteFailureTest extends ServiceTestSupport {

    static final String OPS_TOKEN = "ops-dead-letter-write";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final Path DEAD_LETTERS = DATA_DIR.resolve("dead-letter");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).withRequestBody(containing("Poison"))
                .willReturn(okJson("{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}")));
        Files.writeString(DEAD_LETTERS, "not a folder");
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    private static byte[] legacy(String message) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(fixture("legacy-plugin.python-exception.json"));
        root.put("message", message);
        ((ObjectNode) root.path("event")).put("title", message);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void theRobotKeepsSendingOnceTheDeadLetterFolderIsWritable() throws Exception {
        postWebhook(legacy("Poison alert"), null);
        postWebhook(legacy("Next alert 1"), null);
        // Its dead letter cannot be written: the alert is kept and tried again after the pause (not stuck).
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(DINGTALK, OPS_TOKEN).stream()
                .filter(m -> m.getBodyAsString().contains("Poison alert")).count() >= 2);
        assertThat(files(DATA_DIR.resolve("outbox").resolve("ops"))).isNotEmpty();

        Files.delete(DEAD_LETTERS); // the folder can be written again
        postWebhook(legacy("Next alert 2"), null);

        await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(DINGTALK, OPS_TOKEN).stream()
                .filter(m -> m.getBodyAsString().contains("Next alert")).count() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> writtenFiles(DEAD_LETTERS).size() == 1);
        assertThat(Files.readString(writtenFiles(DEAD_LETTERS).get(0))).contains("Poison alert").contains("310000");
        await().atMost(Duration.ofSeconds(10)).until(() -> files(DATA_DIR.resolve("outbox").resolve("ops")).isEmpty());
    }
}
