package io.github.sentrydingtalk.dingtalk;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sentrydingtalk.common.HmacSha256;

/**
 * App robots' access tokens, one per app (API address, app key and secret), shared by every robot of the
 * app. A token is used until {@link #margin} before DingTalk's {@code expireIn} runs out, then fetched
 * anew; robots of one app that need a token at the same time wait for a single fetch. A token DingTalk
 * rejects is {@link #discard}ed, so the next call fetches a new one. Nothing here prints a token or secret.
 */
public final class AppAccessTokens {

    /** Every app robot of this JVM (each Kamelet instance has its own sender, the tokens are shared). */
    public static final AppAccessTokens SHARED = new AppAccessTokens(Clock.systemUTC());

    /** Longest margin before expiry: DingTalk's tokens last 7,200 s. */
    static final Duration MAX_MARGIN = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<App, Slot> slots = new ConcurrentHashMap<>();

    public AppAccessTokens(Clock clock) {
        this.clock = clock;
    }

    /** What DingTalk's token endpoint answered: the token and its lifetime in seconds. */
    public record Token(String accessToken, long expireIn) {
        @Override
        public String toString() {
            return "Token[expireIn=" + expireIn + "]";
        }
    }

    /** Fetches a token from DingTalk (an HTTP call); throws a {@link DeliveryException} when it cannot. */
    @FunctionalInterface
    public interface Fetcher {
        Token fetch();
    }

    /** A token and which of the app's tokens it is (1, 2, ...: to {@link #discard} it without naming it). */
    public record Issued(String accessToken, long generation) {
        @Override
        public String toString() {
            return "Issued[" + generation + "]";
        }
    }

    /** The app's token: the cached one while it lasts, else a fresh one (fetched once for all its robots). */
    public Issued token(String apiBaseUrl, String appKey, String appSecret, Fetcher fetcher) {
        Slot slot = slots.computeIfAbsent(new App(apiBaseUrl, appKey, fingerprint(appSecret)), app -> new Slot());
        synchronized (slot) {
            Instant now = clock.instant();
            if (slot.token == null || !now.isBefore(slot.refreshAt)) {
                Token fresh = fetcher.fetch();
                slot.token = fresh.accessToken();
                slot.refreshAt = now.plus(lifetimeWithMargin(fresh.expireIn()));
                slot.generation++;
            }
            return new Issued(slot.token, slot.generation);
        }
    }

    /** DingTalk rejected token {@code generation}: the next {@link #token} call fetches another, unless one already did. */
    public void discard(String apiBaseUrl, String appKey, String appSecret, long generation) {
        Slot slot = slots.get(new App(apiBaseUrl, appKey, fingerprint(appSecret)));
        if (slot != null) {
            synchronized (slot) {
                if (slot.generation == generation) {
                    slot.token = null;
                }
            }
        }
    }

    /** expireIn less a margin: a tenth of it, at most {@link #MAX_MARGIN}; never below zero. */
    static Duration lifetimeWithMargin(long expireInSeconds) {
        Duration lifetime = Duration.ofSeconds(Math.max(0, expireInSeconds));
        Duration margin = lifetime.dividedBy(10);
        return lifetime.minus(margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin);
    }

    /** The secret is part of the key (a rotated secret gets its own token), as a digest: never kept in clear. */
    private static String fingerprint(String appSecret) {
        byte[] digest = HmacSha256.digest("app-access-tokens", (appSecret == null ? "" : appSecret)
                .getBytes(StandardCharsets.UTF_8));
        return Arrays.toString(digest);
    }

    private record App(String apiBaseUrl, String appKey, String secretFingerprint) {
    }

    private static final class Slot {
        private String token;
        private Instant refreshAt;
        private long generation;

        @Override
        public String toString() {
            return "Slot";
        }
    }
}
