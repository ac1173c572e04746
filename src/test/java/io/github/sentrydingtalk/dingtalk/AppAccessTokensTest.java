package io.github.sentrydingtalk.dingtalk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppAccessTokensTest {

    private Instant now = Instant.parse("2026-11-26T00:00:00Z");
    private final AppAccessTokens tokens = new AppAccessTokens(new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });
    private final AtomicInteger fetches = new AtomicInteger();

    private AppAccessTokens.Token fetch() {
        return new AppAccessTokens.Token("token-" + fetches.incrementAndGet(), 7200);
    }

    private String token(String appKey) {
        return tokens.token("https://api", appKey, "secret", this::fetch).accessToken();
    }

    @Test
    void aTokenIsKeptUntilFiveMinutesBeforeItExpires() {
        assertThat(token("app")).isEqualTo("token-1");
        now = now.plus(Duration.ofSeconds(7200 - 301));
        assertThat(token("app")).isEqualTo("token-1");
        now = now.plusSeconds(1);
        assertThat(token("app")).isEqualTo("token-2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void theMarginIsATenthOfAShortLifetime() {
        assertThat(AppAccessTokens.lifetimeWithMargin(7200)).isEqualTo(Duration.ofSeconds(6900));
        assertThat(AppAccessTokens.lifetimeWithMargin(60)).isEqualTo(Duration.ofSeconds(54));
        assertThat(AppAccessTokens.lifetimeWithMargin(0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void eachAppHasItsOwnTokenAndARotatedSecretGetsANewOne() {
        assertThat(token("app-a")).isEqualTo("token-1");
        assertThat(token("app-b")).isEqualTo("token-2");
        assertThat(tokens.token("https://api", "app-a", "rotated", this::fetch).accessToken()).isEqualTo("token-3");
        assertThat(token("app-a")).isEqualTo("token-1");
    }

    @Test
    void aRejectedTokenIsDiscardedOnceEvenWhenTwoRobotsSawItRejected() {
        AppAccessTokens.Issued first = tokens.token("https://api", "app", "secret", this::fetch);
        tokens.discard("https://api", "app", "secret", first.generation());
        AppAccessTokens.Issued second = tokens.token("https://api", "app", "secret", this::fetch);
        assertThat(second.accessToken()).isEqualTo("token-2");
        // the other robot's late report about token-1 does not throw token-2 away
        tokens.discard("https://api", "app", "secret", first.generation());
        assertThat(token("app")).isEqualTo("token-2");
        assertThat(second.toString()).doesNotContain("token");
    }

    @Test
    void robotsOfOneAppThatNeedATokenTogetherFetchItOnce() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            results.add(pool.submit(() -> tokens.token("https://api", "app", "secret", () -> {
                fetching.countDown();
                await(release);
                return fetch();
            }).accessToken()));
            fetching.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit(() -> token("app")));
            }
            release.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("token-1");
            }
            assertThat(fetches).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
