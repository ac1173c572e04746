package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.github.sentrydingtalk.Application;
import org.apache.camel.CamelContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of the whole service (Spring Boot, as the jar runs it) in this JVM: its own random port,
 * its own data directory, pointed at a Kafka and a DingTalk stand-in. Several can run side by side.
 */
public final class Replica implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Path dataDir;
    private final ConfigurableApplicationContext context;

    private Replica(String name, Path dataDir, ConfigurableApplicationContext context) {
        this.name = name;
        this.dataDir = dataDir;
        this.context = context;
    }

    /**
     * Starts an instance named NAME; {@code properties} are the test's own (robots, secrets, Kafka) and
     * win over the defaults here.
     */
    public static Replica start(String name, Map<String, Object> properties) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("sentry-dingtalk-" + name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("notify.data-dir", dataDir.toString());
        all.put("notify.drain-period", "50");
        // one JVM, several Camel contexts: distinct names (JMX), no file watchers on routes/
        all.put("camel.main.name", "sentry-dingtalk-" + name);
        all.put("camel.main.routes-reload-enabled", "false");
        // the JMS broker is on the test classpath for BrokerQueueTest only
        all.put("spring.artemis.embedded.enabled", "false");
        all.put("management.health.jms.enabled", "false");
        all.putAll(properties);
        // as command-line arguments: they win over application.properties (default properties would not)
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .properties(Application.SPRING_ONLY_DEFAULTS)
                .run(args);
        return new Replica(name, dataDir, context);
    }

    public String name() {
        return name;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public CamelContext camel() {
        return context.getBean(CamelContext.class);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public boolean isRunning() {
        return context.isActive();
    }

    /**
     * POSTs BODY to /webhooks/sentry as Sentry's Integration Platform does (fresh Request-ID each time),
     * or with RESOURCE null as the legacy WebHooks plugin does (no Sentry headers).
     */
    public HttpResponse<String> postWebhook(byte[] body, String resource, String clientSecret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/webhooks/sentry"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (resource != null) {
            request.header("Sentry-Hook-Resource", resource)
                    .header("Request-ID", UUID.randomUUID().toString())
                    .header("Sentry-Hook-Timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        }
        if (clientSecret != null) {
            request.header("Sentry-Hook-Signature", sentrySignature(clientSecret, body));
        }
        return send(request.build());
    }

    /** Sentry's signature, computed here independently of the service's verifier. */
    static String sentrySignature(String secret, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs nothing to an admin endpoint with the admin token. */
    public HttpResponse<String> postAdmin(String pathAndQuery, String adminToken) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** An admin call: METHOD on the path, with a JSON body or none. */
    public HttpResponse<String> admin(String method, String path, String json, String adminToken) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Closes the instance's Spring context (graceful: Tomcat and Camel stop). */
    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
