package io.github.sentrydingtalk.actions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.common.HmacSha256;
import io.github.sentrydingtalk.queue.Durations;
import io.github.sentrydingtalk.queue.ExpiringFileIdempotentRepository;
import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * Signed action links: {@code <payload>.<signature>}, both base64url without padding. The payload is a
 * small JSON object (issue id, action, project, title cut to {@value #MAX_TITLE} characters, level,
 * expiry in epoch seconds, the accepted alert's id); the signature is its HMAC-SHA256 under {@code notify.action-signing-key}, or,
 * when that is empty, under a random key generated once and kept in {@code {data-dir}/action-signing-key}
 * (readable by its owner only). A link that was changed, or is past its expiry ({@code notify.action-ttl}),
 * is refused with a page that says so.
 * <p>
 * Links that were used (the action was carried out, or was found done already) are remembered until they
 * expire in {@code {data-dir}/used-action-links.log}, by a hash of their signature: using one again shows
 * "already done" without asking Sentry. Neither key nor signatures ever reach a log line.
 */
public class ActionTokens {

    static final int MAX_TITLE = 120;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private String signingKey = "";
    private Path dataDir = Path.of("data");
    private Duration ttl = Duration.ofDays(7);
    private String ttlText = "7d";
    private Clock clock = Clock.systemUTC();
    private ExpiringFileIdempotentRepository used;

    /** notify.action-signing-key; empty: the generated key under the data directory. */
    public void setSigningKey(String signingKey) {
        this.signingKey = signingKey == null ? "" : signingKey.strip();
    }

    public void setDataDir(String dataDir) {
        this.dataDir = Path.of(dataDir);
    }

    /** notify.action-ttl: how long a link works, e.g. {@code 7d}. */
    public void setTtl(String ttl) {
        this.ttl = Durations.parsePositive("notify.action-ttl", ttl);
        this.ttlText = ttl;
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    /** Reads or generates the key and opens the record of used links. */
    public void start() throws Exception {
        if (signingKey.isEmpty()) {
            signingKey = generatedKey(dataDir.resolve("action-signing-key"));
        }
        used = new ExpiringFileIdempotentRepository();
        used.setFile(dataDir.resolve("used-action-links.log").toString());
        used.setTtl(ttlText);
        used.start();
    }

    public void stop() {
        if (used != null) {
            used.stop();
        }
    }

    /** A link's token for this action on this alert's issue, valid for the ttl from now. */
    public String create(SentryAlert alert, IssueAction action) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("i", alert.issueId());
        payload.put("a", action.slug());
        putIfSet(payload, "p", alert.projectSlug() != null ? alert.projectSlug() : alert.projectName());
        putIfSet(payload, "t", alert.withShortTitle(MAX_TITLE).title());
        putIfSet(payload, "l", alert.level());
        payload.put("x", clock.instant().plus(ttl).getEpochSecond());
        // the accepted alert: two alerts about one issue get links of their own, each used once
        putIfSet(payload, "n", alert.id());
        String encoded;
        try {
            encoded = B64.encodeToString(JSON.writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an action token", e);
        }
        return encoded + "." + B64.encodeToString(mac(encoded));
    }

    /** What the token names; {@link ActionRefusedException} (400, or 410 when expired) when it is not ours or too old. */
    public ActionToken read(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || !MessageDigest.isEqual(B64.encodeToString(mac(token.substring(0, dot))).getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw new ActionRefusedException(ActionPages.tampered());
        }
        ActionToken read;
        try {
            JsonNode p = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(0, dot)));
            read = new ActionToken(p.path("i").asText(), IssueAction.bySlug(p.path("a").asText()).orElseThrow(),
                    text(p, "p"), text(p, "t"), text(p, "l"), p.path("x").asLong(), hash(token.substring(dot + 1)));
        } catch (IOException | RuntimeException e) {
            throw new ActionRefusedException(ActionPages.tampered()); // signed by us, yet unreadable: an older format
        }
        if (clock.instant().getEpochSecond() >= read.expiresAt()) {
            throw new ActionRefusedException(ActionPages.expired(read));
        }
        return read;
    }

    /** Whether this link was used already (then nothing is asked of Sentry again). */
    public boolean wasUsed(ActionToken token) {
        return used.contains(token.key());
    }

    /** Remembers the link as used, until the longest a link lives. */
    public void recordUsed(ActionToken token) {
        if (used.add(token.key())) {
            used.confirm(token.key());
        }
    }

    private byte[] mac(String payload) {
        return HmacSha256.digest(signingKey, payload.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String signature) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signature.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String text(JsonNode payload, String field) {
        return payload.hasNonNull(field) ? payload.get(field).asText() : null;
    }

    private static void putIfSet(Map<String, Object> payload, String field, String value) {
        if (value != null) {
            payload.put(field, value);
        }
    }

    /** The key in this file, or a new random one written there first (owner-only permissions where supported). */
    static String generatedKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temporary);
            }
            Files.writeString(temporary, B64.encodeToString(random));
            try {
                Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(temporary); // another replica was first: use its key
            }
        }
        String key = Files.readString(file).strip();
        if (key.isEmpty()) {
            throw new UncheckedIOException(new IOException(file + " is empty: delete it to have a new key generated,"
                    + " or set notify.action-signing-key"));
        }
        return key;
    }
}
