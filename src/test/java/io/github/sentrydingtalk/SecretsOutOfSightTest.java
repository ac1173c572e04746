package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.spi.DumpRoutesStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * send-to-dingtalk hands the robot's token and secret to the dingtalk-sink Kamelet as endpoint parameters
 * (accessToken, secret). Camel masks parameters by those names wherever it prints an endpoint: after
 * retries and a dead letter, neither shows in the log, a dump of every route (the Kamelet's included),
 * the endpoints Camel lists, /actuator/health, /actuator/prometheus or the data directory.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + SecretsOutOfSightTest.TOKEN,
        "dingtalk.robots[0].secret=" + SecretsOutOfSightTest.SECRET,
        "dingtalk.retry.max-redeliveries=1",
        "dingtalk.retry.initial-delay=10",
        "dingtalk.retry.give-up-after=0s",
})
class SecretsOutOfSightTest extends ServiceTestSupport {

    static final String TOKEN = "kamelet-token-778899";
    static final String SECRET = "SECkameletsecret445566";
    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    @Autowired
    private CamelContext camelContext;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
    }

    @Test
    void theRobotsTokenAndSecretShowNowhere(CapturedOutput output) throws Exception {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(aResponse().withStatus(502)));
        postFixture("legacy-plugin.python-exception.json", null);
        Path deadLetters = DATA_DIR.resolve("dead-letter");
        await().atMost(Duration.ofSeconds(30)).until(() -> !writtenFiles(deadLetters).isEmpty()
                && output.getAll().contains("Alert not delivered to robot 'ops'"));

        List<Route> kameletRoutes = camelContext.getRoutes().stream()
                .filter(r -> r.getRouteId().startsWith("dingtalk-sink")).toList();
        // one made by the warm-up at startup (WarmUpTest), one by this robot's delivery
        assertThat(kameletRoutes).as("the delivery went through the Kamelet").hasSize(2);

        DumpRoutesStrategy dump = camelContext.getCamelContextExtension().getContextPlugin(DumpRoutesStrategy.class);
        dump.setInclude("*");
        dump.setResolvePlaceholders(true);
        dump.dumpRoutes("xml"); // (the YAML dumper fails on these routes in Camel 4.17)

        List<String> everything = new ArrayList<>();
        everything.add(output.getAll());
        camelContext.getEndpoints().stream().map(Endpoint::toString).forEach(everything::add);
        everything.add(actuator("/actuator/health"));
        everything.add(actuator("/actuator/prometheus"));
        everything.addAll(everyFileUnder(DATA_DIR).values());
        assertThat(output.getAll()).as("the dump ran: the Kamelet's template and the route that calls it")
                .contains("<routeTemplate id=\"dingtalk-sink\">", "kamelet:dingtalk-sink?accessToken=RAW(");
        assertThat(everything).noneMatch(s -> s.contains(TOKEN)).noneMatch(s -> s.contains(SECRET));
    }

    private String actuator(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
