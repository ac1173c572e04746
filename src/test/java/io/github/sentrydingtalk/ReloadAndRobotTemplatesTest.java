package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A robot's own templates override the defaults by name; edited templates and routes take effect
 * without a restart. Runs on copies of routes/ and templates/, so the repository's files are untouched.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=custom",
        "dingtalk.robots[0].access-token=custom-token",
        "dingtalk.robots[1].name=plain",
        "dingtalk.robots[1].access-token=plain-token",
        "notify.templates-update-delay=100",
})
class ReloadAndRobotTemplatesTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final Path ROUTES = copy("routes");
    static final Path TEMPLATES = copy("templates");
    static final Path CUSTOM = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        write(CUSTOM.resolve("event.ftl"), "<#import \"_lines.ftl\" as l>\n### CUSTOM ${variables.dingtalkTitle}\n<@l.level body/>");
    }

    static Path copy(String folder) {
        try {
            Path target = Files.createTempDirectory(folder);
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
            file.toFile().setLastModified(System.currentTimeMillis() + 1000); // newer than any cached copy
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.camel.yaml");
        registry.add("camel.main.routes-reload-directory", ROUTES::toString);
        registry.add("notify.templates-dir", TEMPLATES::toString);
        registry.add("dingtalk.robots[0].templates", CUSTOM::toString);
    }


    @Test
    void aRobotsOwnTemplateWinsAndEditedTemplatesAreReadAgain() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert");
        assertThat(text(awaitMessages(DINGTALK, "custom-token", 1).get(0)))
                .isEqualTo("### CUSTOM 【front-end】 ReferenceError: heck is not defined\n- **🚦 Level**: error");
        assertThat(text(awaitMessages(DINGTALK, "plain-token", 1).get(0))).startsWith("### 【front-end】 ReferenceError");

        write(CUSTOM.resolve("event.ftl"), "### EDITED ${variables.dingtalkTitle}");
        write(TEMPLATES.resolve("event.ftl"), "### DEFAULT EDITED ${variables.dingtalkTitle}");
        Thread.sleep(300); // past notify.templates-update-delay
        postFixture("error.created.json", "error");
        assertThat(text(awaitMessages(DINGTALK, "custom-token", 2).get(1))).isEqualTo("### EDITED 【front-end】 ReferenceError: heck is not defined");
        assertThat(text(awaitMessages(DINGTALK, "plain-token", 2).get(1))).isEqualTo("### DEFAULT EDITED 【front-end】 ReferenceError: heck is not defined");
    }

    @Test
    void anEditedRouteTakesEffectWithoutARestart() throws Exception {
        Path webhook = ROUTES.resolve("webhook.camel.yaml");
        write(webhook, Files.readString(webhook).replace("{\"status\":\"accepted\",", "{\"status\":\"accepted\",\"reloaded\":true,"));
        // Each poll is another issue event (another count): the same one again would be answered duplicate.
        java.util.concurrent.atomic.AtomicInteger poll = new java.util.concurrent.atomic.AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                postWebhook(issueSeenAgain(poll.incrementAndGet()), "issue").body().contains("\"reloaded\":true"));
    }

    private static byte[] issueSeenAgain(int times) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(fixture("issue.assigned.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("data").path("issue")).put("count", String.valueOf(times));
        return JSON.writeValueAsBytes(root);
    }
}
