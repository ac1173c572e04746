package io.github.sentrydingtalk.actions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;

import io.github.sentrydingtalk.sentry.SentryAlert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionTokensTest extends ActionTokensSupport {

    static final SentryAlert ALERT = SentryAlert.builder().kind("issue").issueId("42").projectSlug("api")
            .title("TypeError: " + "x".repeat(300)).level("error").build();

    @Test
    void aTokenReadsBackWithItsIssueActionAndExpiry() throws Exception {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        String token = started("k", now).create(ALERT, IssueAction.ARCHIVE);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        ActionToken read = tokens.read(token);
        assertThat(read.issueId()).isEqualTo("42");
        assertThat(read.action()).isEqualTo(IssueAction.ARCHIVE);
        assertThat(read.project()).isEqualTo("api");
        assertThat(read.level()).isEqualTo("error");
        assertThat(read.title()).hasSize(ActionTokens.MAX_TITLE + 1).endsWith("…");
        assertThat(read.expiresAt()).isEqualTo(now.plusSeconds(7 * 86400).getEpochSecond());
        assertThat(read.key()).hasSize(48).doesNotContain(token.substring(token.indexOf('.') + 1));
    }

    @Test
    void aChangedTokenOrAnotherKeysIsRefusedAsNotValid() throws Exception {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        String token = started("k", now).create(ALERT, IssueAction.RESOLVE);
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("42", "43").getBytes())
                + token.substring(token.indexOf('.'));
        for (String bad : new String[] {changed, token + "x", token.substring(0, token.length() - 1), "", null, "."}) {
            assertThatThrownBy(() -> tokens.read(bad)).isInstanceOf(ActionRefusedException.class)
                    .satisfies(e -> assertThat(((ActionRefusedException) e).getPage().status()).isEqualTo(400));
        }
        tokens.stop();
        assertThatThrownBy(() -> started("other", now).read(token)).isInstanceOf(ActionRefusedException.class);
    }

    @Test
    void anExpiredTokenIsRefusedWithGone() throws Exception {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        String token = started("k", now).create(ALERT, IssueAction.RESOLVE);
        tokens.stop();
        ActionTokens later = started("k", now.plusSeconds(7 * 86400));
        assertThatThrownBy(() -> later.read(token)).isInstanceOf(ActionRefusedException.class)
                .satisfies(e -> assertThat(((ActionRefusedException) e).getPage().status()).isEqualTo(410));
    }

    @Test
    void withoutAKeyOneIsGeneratedOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        String token = started("", now).create(ALERT, IssueAction.RESOLVE);
        Path key = dataDir.resolve("action-signing-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).hasSize(43);
        tokens.stop();
        assertThat(started("", now).read(token).issueId()).isEqualTo("42");
    }

    @Test
    void aUsedLinkIsRememberedAcrossRestartsButNotItsSignature() throws Exception {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        String token = started("k", now).create(ALERT, IssueAction.RESOLVE);
        ActionToken read = tokens.read(token);
        assertThat(tokens.wasUsed(read)).isFalse();
        tokens.recordUsed(read);
        tokens.recordUsed(read);
        assertThat(tokens.wasUsed(read)).isTrue();
        tokens.stop();
        assertThat(started("k", now).wasUsed(read)).isTrue();
        assertThat(Files.readString(dataDir.resolve("used-action-links.log")))
                .doesNotContain(token.substring(token.indexOf('.') + 1));
    }

    @Test
    void aWrongTtlNamesItsProperty() {
        assertThatThrownBy(() -> new ActionTokens().setTtl("soon")).hasMessageContaining("notify.action-ttl");
    }
}
