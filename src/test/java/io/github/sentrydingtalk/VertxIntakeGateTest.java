package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate in front of a Vert.x route that answers 204: what passes, and how the rest is turned away. */
class VertxIntakeGateTest {

    private static final HttpClient HTTP_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final VertxIntakeGate gate = new VertxIntakeGate(7, 1000);
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/webhooks/*").handler(gate);
        router.route("/webhooks/*").handler(request -> request.request().body()
                .onSuccess(body -> request.response().setStatusCode(204).end()));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void closedAnswers503WithRetryAfterAndReadsNothing() throws Exception {
        HttpResponse<String> answer = post("{}");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(answer.headers().firstValue("Connection")).hasValue("close");
        assertThat(answer.body()).isEqualTo("{\"status\":\"unavailable\",\"reason\":\"the service is starting or stopping: nothing was accepted, try again\"}");

        gate.open();
        assertThat(post("{}").statusCode()).isEqualTo(204);
        gate.close();
        assertThat(post("{}").statusCode()).isEqualTo(503);
    }

    @Test
    void openRefusesWhatItCannotMeasureOrIsTooLarge() throws Exception {
        gate.open();
        assertThat(post("x".repeat(1000)).statusCode()).isEqualTo(204);

        HttpResponse<String> tooLarge = post("x".repeat(1001));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).isEqualTo("{\"status\":\"rejected\",\"reason\":\"body larger than sentry.max-body-size (1000 bytes)\"}");

        HttpResponse<String> chunked = HTTP_1.send(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[10])))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(chunked.body()).contains("\"status\":\"rejected\"", "Content-Length");

        assertThat(rawAnswer("POST /webhooks/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 12abc\r\n\r\n"))
                .as("a length that is not a number").startsWith("HTTP/1.1 4");
        assertThat(rawAnswer("POST /webhooks/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .as("a POST without a body (curl -X POST)").startsWith("HTTP/1.1 204");
    }

    @Test
    void readinessFollowsTheGate() {
        org.apache.camel.impl.health.AbstractHealthCheck readiness = gate.readiness();
        readiness.setCamelContext(new DefaultCamelContext());
        assertThat(readiness.isReadiness()).isTrue();
        assertThat(readiness.isLiveness()).isFalse();
        assertThat(readiness.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        gate.open();
        assertThat(readiness.call().getState()).isEqualTo(HealthCheck.State.UP);
        gate.close();
        assertThat(readiness.call().getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return HTTP_1.send(HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://localhost:" + server.actualPort() + "/webhooks/sentry");
    }

    private String rawAnswer(String request) throws IOException {
        try (Socket socket = new Socket("localhost", server.actualPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[4096];
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }
}
