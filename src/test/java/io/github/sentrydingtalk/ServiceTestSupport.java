package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the whole service on a random port against a WireMock DingTalk over real HTTP. Each test
 * class owns its stand-in and data directory, and its Spring context is closed after the class so
 * no retry from one class can reach another's stand-in.
 */
@CamelSpringBootTest
// Tests send many alerts to the same robots: only the rate-limit tests keep DingTalk's real limit.
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dingtalk.rate-limit.max-messages=100000", "notify.drain-period=50",
                // the broker is on the test classpath for BrokerQueueTest only
                "spring.artemis.embedded.enabled=false", "management.health.jms.enabled=false"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ServiceTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    private static final List<WireMockServer> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A DingTalk stand-in on a free port; stopped after the test class. */
    public static WireMockServer startStandIn() {
        return startStandIn(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
    }

    /** A DingTalk stand-in that answers every message with errcode 0; stopped after the test class. */
    public static WireMockServer startAcceptingStandIn() {
        WireMockServer server = startStandIn();
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/robot/send"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        return server;
    }

    public static WireMockServer startStandIn(com.github.tomakehurst.wiremock.core.WireMockConfiguration options) {
        WireMockServer server = new WireMockServer(options);
        server.start();
        STARTED.add(server);
        return server;
    }

    @org.springframework.beans.factory.annotation.Autowired
    private org.apache.camel.CamelContext camelContext;

    /**
     * Each test starts with a service that has seen no Sentry event: the same sample posted by two tests
     * would otherwise be one event delivered twice (the dedup key comes from the content).
     */
    @org.junit.jupiter.api.BeforeEach
    void forgetSeenDeliveries() {
        camelContext.getRegistry().lookupByNameAndType("seenDeliveries", org.apache.camel.spi.IdempotentRepository.class).clear();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopStandIns() {
        STARTED.forEach(WireMockServer::stop);
        STARTED.clear();
    }

    protected static Path tempDataDir() {
        try {
            return Files.createTempDirectory("sentry-dingtalk-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Points the service at this class's stand-in and data directory. */
    protected static void useStandIn(org.springframework.test.context.DynamicPropertyRegistry registry,
                                     WireMockServer standIn, Path dataDir) {
        registry.add("dingtalk.base-url", standIn::baseUrl);
        registry.add("notify.data-dir", dataDir::toString);
    }

    public static byte[] fixture(String name) {
        try (InputStream in = ServiceTestSupport.class.getResourceAsStream("/sentry/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a body to /webhooks/sentry as Sentry would; resource null means the legacy plugin. */
    protected HttpResponse<String> postWebhook(byte[] body, String resource) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sentry"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (resource != null) {
            request.header("Sentry-Hook-Resource", resource)
                    .header("Request-ID", java.util.UUID.randomUUID().toString())
                    .header("Sentry-Hook-Timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> postFixture(String name, String resource) {
        HttpResponse<String> response = postWebhook(fixture(name), resource);
        assertThat(response.statusCode()).as("answer to %s: %s", name, response.body()).isEqualTo(202);
        return response;
    }

    /** Waits until the stand-in has received exactly {@code count} messages for this token. */
    protected static List<LoggedRequest> awaitMessages(WireMockServer standIn, String token, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesFor(standIn, token).size() >= count);
        List<LoggedRequest> requests = messagesFor(standIn, token);
        assertThat(requests).hasSize(count);
        return requests;
    }

    public static List<LoggedRequest> messagesFor(WireMockServer standIn, String token) {
        return standIn.findAll(postRequestedFor(urlPathEqualTo("/robot/send"))).stream()
                .filter(r -> token.equals(query(r).get("access_token")))
                .toList();
    }

    protected static int allRequests(WireMockServer standIn) {
        return standIn.findAll(postRequestedFor(anyUrl())).size();
    }

    /** The query exactly as it reached DingTalk, decoded once. */
    public static Map<String, String> query(LoggedRequest request) {
        String url = request.getUrl();
        Map<String, String> params = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    protected static String rawParam(LoggedRequest request, String name) {
        String url = request.getUrl();
        return Stream.of(url.substring(url.indexOf('?') + 1).split("&"))
                .filter(p -> p.startsWith(name + "="))
                .map(p -> p.substring(name.length() + 1))
                .findFirst().orElse(null);
    }

    /** DingTalk's signature, computed here independently of the service's signer. */
    public static String expectedSign(String timestamp, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    public static JsonNode body(LoggedRequest request) throws IOException {
        return JSON.readTree(request.getBody());
    }

    public static String text(LoggedRequest request) throws IOException {
        return body(request).path("markdown").path("text").asText();
    }

    /**
     * Every regular file under {@code dir} with its text, all read in one walk. The service writes a
     * file under a temporary name and renames it, so a file seen by the walk can be gone when it is read:
     * then the whole walk starts again, so the renamed file is not missed.
     */
    protected static Map<Path, String> everyFileUnder(Path dir) throws IOException {
        for (int walk = 1; ; walk++) {
            Map<Path, String> texts = new LinkedHashMap<>();
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path file : all.filter(Files::isRegularFile).toList()) {
                    texts.put(file, Files.readString(file));
                }
                return texts;
            } catch (java.nio.file.NoSuchFileException renamedAway) {
                if (walk == 50) {
                    throw renamedAway;
                }
            }
        }
    }

    /** The files in {@code dir} the service has finished writing: not the temporary ones it renames. */
    protected static List<Path> writtenFiles(Path dir) throws IOException {
        return files(dir).stream().filter(f -> !f.getFileName().toString().endsWith(".tmp")).toList();
    }

    protected static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
