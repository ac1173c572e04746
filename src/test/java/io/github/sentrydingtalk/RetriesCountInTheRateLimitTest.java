package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
 * A retry storm: DingTalk answers every other POST with 502, and counts every POST against its limit of
 * 3 per 3 s (errcode 130101 beyond it). Retries count too: the service must never exceed the limit,
 * and every alert must still arrive.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=flaky",
        "dingtalk.robots[0].access-token=flaky-token",
        "dingtalk.rate-limit.max-messages=3",
        "dingtalk.rate-limit.window=3s",
        "dingtalk.retry.initial-delay=100",
        "dingtalk.retry.backoff-multiplier=1",
        "dingtalk.retry.max-redeliveries=5",
})
class RetriesCountInTheRateLimitTest extends ServiceTestSupport {

    static final int LIMIT = 3;
    static final long WINDOW_MILLIS = 3_000;
    static final FlakyLimitedDingTalk FLAKY = new FlakyLimitedDingTalk();
    static final WireMockServer DINGTALK = startStandIn(WireMockConfiguration.options().dynamicPort().extensions(FLAKY));
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    /** Every odd POST fails with 502; more than LIMIT POSTs in any WINDOW get errcode 130101. */
    static class FlakyLimitedDingTalk implements ResponseDefinitionTransformerV2 {
        final Deque<Long> posts = new ArrayDeque<>();
        final AtomicInteger count = new AtomicInteger();
        final AtomicInteger overLimit = new AtomicInteger();

        @Override
        public synchronized ResponseDefinition transform(ServeEvent event) {
            long now = System.currentTimeMillis();
            while (!posts.isEmpty() && posts.peekFirst() <= now - WINDOW_MILLIS) {
                posts.removeFirst();
            }
            if (posts.size() >= LIMIT) {
                overLimit.incrementAndGet();
                return ResponseDefinitionBuilder.okForJson(java.util.Map.of("errcode", 130101, "errmsg", "send too fast")).build();
            }
            posts.addLast(now);
            if (count.incrementAndGet() % 2 == 1) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(502).build();
            }
            return event.getResponseDefinition();
        }

        @Override
        public String getName() {
            return "flaky-limited-dingtalk";
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Test
    void retriesTakeSlotsOfTheWindowSoTheLimitIsNeverExceeded() throws Exception {
        ObjectNode template = (ObjectNode) JSON.readTree(fixture("event_alert.triggered.json"));
        for (int i = 0; i < 3; i++) {
            ObjectNode event = (ObjectNode) template.path("data").path("event");
            event.put("title", "Flaky alert " + i);
            event.put("event_id", "flaky-event-" + i);
            postWebhook(JSON.writeValueAsBytes(template), "event_alert");
        }

        Set<Integer> delivered = new HashSet<>();
        Pattern title = Pattern.compile("Flaky alert (\\d+)");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (LoggedRequest request : messagesFor(DINGTALK, "flaky-token")) {
                Matcher m = title.matcher(text(request));
                while (m.find()) {
                    delivered.add(Integer.parseInt(m.group(1)));
                }
            }
            return delivered.size() == 3 && files(DATA_DIR.resolve("outbox/flaky")).isEmpty();
        });

        assertThat(FLAKY.overLimit.get()).as("POSTs beyond 3 per 3 s, retries included").isZero();
        assertThat(FLAKY.count.get()).as("every other POST failed, and was retried").isGreaterThanOrEqualTo(4);
    }
}
