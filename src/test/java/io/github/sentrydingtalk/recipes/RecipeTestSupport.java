package io.github.sentrydingtalk.recipes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.sentrydingtalk.ServiceTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the service with one README recipe (docs/recipes/NAME.camel.yaml) copied verbatim into a routes
 * folder of its own, loaded next to routes/: the test runs exactly what the README shows.
 */
abstract class RecipeTestSupport extends ServiceTestSupport {

    /** A DingTalk stand-in that accepts every message. */
    static WireMockServer dingTalkAnsweringOk() {
        WireMockServer standIn = startStandIn();
        standIn.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        return standIn;
    }

    static void startWithRecipe(String name, DynamicPropertyRegistry registry, WireMockServer dingTalk) {
        startWithRecipe(name, registry, dingTalk, tempDataDir());
    }

    static void startWithRecipe(String name, DynamicPropertyRegistry registry, WireMockServer dingTalk, Path dataDir) {
        useStandIn(registry, dingTalk, dataDir);
        try {
            Path folder = Files.createTempDirectory("recipe-" + name);
            Files.copy(file(name), folder.resolve(name + ".camel.yaml"));
            registry.add("camel.main.routes-include-pattern",
                    () -> "file:routes/*.camel.yaml,file:" + folder.toAbsolutePath() + "/*.camel.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    abstract String recipe();

    /** The README quotes the recipe file as it is, so the two cannot drift apart. */
    @Test
    void readmeQuotesTheRecipe() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README quotes docs/recipes/%s.camel.yaml", recipe())
                .contains(Files.readString(file(recipe()), StandardCharsets.UTF_8));
    }

    private static Path file(String name) {
        return Path.of("docs", "recipes", name + ".camel.yaml");
    }
}
