package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
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
 * An error storm: 300 alerts in a few seconds to a robot limited to 20 messages per 10 s, by the
 * service and by a stand-in that enforces the limit as DingTalk does (errcode 130101 beyond it).
 * No message may be refused, every alert's title must reach the group, the first on its own at once.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=storm",
        "dingtalk.robots[0].access-token=storm-token",
        "dingtalk.robots[0].keyword=告警",
        "dingtalk.robots[0].events=event_alert",
        // Takes one issue alert before the storm, so the storm meets a warm service, not a cold start.
        "dingtalk.robots[1].name=warm-up",
        "dingtalk.robots[1].access-token=warm-up-token",
        "dingtalk.robots[1].events=issue",
        "dingtalk.rate-limit.max-messages=20",
        "dingtalk.rate-limit.window=10s",
})
class RateLimitStormTest extends ServiceTestSupport {

    static final int LIMIT = 20;
    static final long WINDOW_MILLIS = 10_000;
    static final RateLimitingDingTalk LIMITER = new RateLimitingDingTalk();
    static final WireMockServer DINGTALK = startStandIn(WireMockConfiguration.options().dynamicPort().extensions(LIMITER));
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    /** DingTalk's limit, per robot: more than LIMIT messages in any WINDOW and the answer is errcode 130101. */
    static class RateLimitingDingTalk implements ResponseDefinitionTransformerV2 {
        final java.util.Map<String, Deque<Long>> acceptedByToken = new java.util.HashMap<>();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public synchronized ResponseDefinition transform(ServeEvent event) {
            long now = System.currentTimeMillis();
            Deque<Long> accepted = acceptedByToken.computeIfAbsent(
                    event.getRequest().queryParameter("access_token").firstValue(), t -> new ArrayDeque<>());
            while (!accepted.isEmpty() && accepted.peekFirst() <= now - WINDOW_MILLIS) {
                accepted.removeFirst();
            }
            if (accepted.size() >= LIMIT) {
                refused.incrementAndGet();
                return ResponseDefinitionBuilder.okForJson(java.util.Map.of("errcode", 130101, "errmsg", "send too fast")).build();
            }
            accepted.addLast(now);
            return event.getResponseDefinition();
        }

        @Override
        public String getName() {
            return "rate-limiting-dingtalk";
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @Test
    void aStormIsFoldedIntoDigestsWithoutEverBeingRateLimited() throws Exception {
        postFixture("issue.created.json", "issue");
        awaitMessages(DINGTALK, "warm-up-token", 1);

        ObjectNode template = (ObjectNode) JSON.readTree(fixture("event_alert.triggered.json"));
        String[] levels = {"warning", "error", "fatal", "info"};
        for (int i = 0; i < 300; i++) {
            ObjectNode event = (ObjectNode) template.path("data").path("event");
            event.put("title", "Storm alert " + i);
            event.put("event_id", "storm-event-" + i); // 300 events: Sentry's retries of one event give one alert
            event.put("level", levels[i % levels.length]);
            postWebhook(JSON.writeValueAsBytes(template), "event_alert");
        }
        long lastAlert = System.currentTimeMillis();

        Set<Integer> seen = new HashSet<>();
        Pattern title = Pattern.compile("Storm alert (\\d+)");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (LoggedRequest request : messagesFor(DINGTALK, "storm-token")) {
                Matcher m = title.matcher(text(request));
                while (m.find()) {
                    seen.add(Integer.parseInt(m.group(1)));
                }
            }
            return seen.size() == 300;
        });

        assertThat(LIMITER.refused.get()).as("messages DingTalk refused as too fast").isZero();
        List<LoggedRequest> messages = messagesFor(DINGTALK, "storm-token");
        assertThat(messages.size()).as("alerts were folded into digests").isLessThan(300);
        // Nothing waits to be batched: the first alert goes out on its own while the storm still runs.
        // (How fast is a benchmark figure, accept-to-delivered in bench/run.sh, not a timed assert.)
        LoggedRequest first = messages.stream().min(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).orElseThrow();
        assertThat(text(first)).contains("Storm alert 0").doesNotContain("Storm alert 1");
        assertThat(first.getLoggedDate().getTime()).as("first message before the last alert was posted").isLessThan(lastAlert);

        List<String> digests = messages.stream().map(r -> {
            try {
                return text(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(t -> t.contains("more alerts")).toList();
        assertThat(digests).isNotEmpty();
        List<String> severity = List.of("fatal", "error", "warning", "info");
        for (String digest : digests) {
            assertThat(digest).startsWith("### 【告警】Sentry: ");
            // Most severe first.
            List<Integer> order = digest.lines().filter(l -> l.startsWith("- **"))
                    .map(l -> severity.indexOf(l.substring(4, l.indexOf("**", 4)))).toList();
            assertThat(order).isSorted();
        }
        for (LoggedRequest message : messages) {
            assertThat(message.getBody().length).isLessThanOrEqualTo(20_000);
        }
    }
}
