package io.github.sentrydingtalk.cluster;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * DingTalk's limit across every replica, per robot (access token): more than {@code limit} messages
 * in any {@code windowMillis} and the answer is errcode 130101, as DingTalk bans a robot. A token in
 * {@link #down} gets 503 (DingTalk unavailable) instead.
 */
final class LimitedDingTalk implements ResponseDefinitionTransformerV2 {

    final AtomicInteger refused = new AtomicInteger();
    final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Long>> acceptedByToken = new HashMap<>();
    private final int limit;
    private final long windowMillis;

    LimitedDingTalk(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        String token = event.getRequest().queryParameter("access_token").firstValue();
        if (down.contains(token)) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(503).build();
        }
        long now = System.currentTimeMillis();
        Deque<Long> accepted = acceptedByToken.computeIfAbsent(token, t -> new ArrayDeque<>());
        while (!accepted.isEmpty() && accepted.peekFirst() <= now - windowMillis) {
            accepted.removeFirst();
        }
        if (accepted.size() >= limit) {
            refused.incrementAndGet();
            return ResponseDefinitionBuilder.okForJson(Map.of("errcode", 130101, "errmsg", "send too fast")).build();
        }
        accepted.addLast(now);
        return event.getResponseDefinition();
    }

    @Override
    public String getName() {
        return "limited-dingtalk";
    }
}
