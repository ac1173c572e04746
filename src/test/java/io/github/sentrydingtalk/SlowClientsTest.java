package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that trickle their request body (or stall after the headers) cannot hold the webhook: the body
 * must arrive whole within sentry.body-read-timeout, else 503 + Retry-After; meanwhile Sentry's own
 * webhooks are answered within the 1 second Sentry allows, and delivered.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=slow-clients-token",
})
class SlowClientsTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    static final int SLOW_CLIENTS = 40;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> slowClients = new ArrayList<>();

    @BeforeEach
    void standIn() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @AfterEach
    void stopSlowClients() throws InterruptedException {
        stop.set(true);
        for (Thread t : slowClients) {
            t.join(5000);
        }
    }

    /** Opens a webhook request announcing a 7 KB body, then sends it one byte every 200 ms, again and again. */
    private void startTrickling(byte[] body) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try (Socket socket = new Socket("localhost", port)) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /webhooks/sentry HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < body.length && !stop.get(); i++) {
                        out.write(body[i]);
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException e) {
                    // refused or cut off by the service: start over, as an attacker would
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        slowClients.add(t);
    }

    @Test
    void slowClientsDoNotDelaySentrysWebhooks() throws Exception {
        assertThat(postWebhook(issue("before the slow clients"), "issue").statusCode()).isEqualTo(202);
        byte[] body = fixture("legacy-plugin.python-exception.json");
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            startTrickling(body);
        }
        Thread.sleep(1000); // let every slow client get in and start trickling

        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = postWebhook(issue("while 40 clients trickle " + i), "issue");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.statusCode()).as("webhook %d: %s", i, answer.body()).isEqualTo(202);
            assertThat(millis).as("webhook %d answered within Sentry's 1 s while %d clients trickle", i, SLOW_CLIENTS)
                    .isLessThan(1000);
        }
        awaitMessages(DINGTALK, "slow-clients-token", 11);
    }

    @Test
    void aTricklingBodyIsRefusedWithARetryableStatus() throws Exception {
        try (Socket socket = openWebhook(1000, "")) {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 20 && !socket.isInputShutdown(); i++) { // one byte every 100 ms: 2 s for 20 bytes
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException refusedMidway) {
                    break;
                }
                Thread.sleep(100);
            }
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 503");
            assertThat(answer).containsIgnoringCase("Retry-After: 10");
            assertThat(answer).contains("{\"status\":\"unavailable\",\"reason\":\"request body not received within sentry.body-read-timeout (500 ms): nothing was accepted\"}");
        }
        assertThat(files(DATA_DIR.resolve("outbox").resolve("ops"))).isEmpty();
    }

    /** A body that stops arriving ends at Tomcat's 1 s read timeout (Sentry has given up by then), not after minutes. */
    @Test
    void aStalledBodyEndsAtTheReadTimeout() throws Exception {
        try (Socket socket = openWebhook(1000, "{\"id\":")) {
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 408");
        }
        assertThat(files(DATA_DIR.resolve("outbox").resolve("ops"))).isEmpty();
    }

    /** A webhook request announcing {@code length} bytes of body, of which only {@code start} is sent. */
    private Socket openWebhook(int length, String start) throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST /webhooks/sentry HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n" + start).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Sentry's issue webhook, about an issue of this title: each one a new event, not a re-send. */
    private static byte[] issue(String title) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(fixture("issue.created.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("data").path("issue")).put("title", title);
        return JSON.writeValueAsBytes(root);
    }

    private static String readAnswer(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
