package io.github.sentrydingtalk.actions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** An {@link ActionTokens} under a temporary data directory, at a fixed time; stopped after each test. */
abstract class ActionTokensSupport {

    @TempDir
    Path dataDir;
    ActionTokens tokens;

    @AfterEach
    void stopTokens() {
        if (tokens != null) {
            tokens.stop();
        }
    }

    ActionTokens started(String key, Instant now) throws Exception {
        stopTokens();
        ActionTokens t = new ActionTokens();
        t.setSigningKey(key);
        t.setDataDir(dataDir.toString());
        t.setTtl("7d");
        t.setClock(Clock.fixed(now, ZoneOffset.UTC));
        t.start();
        tokens = t;
        return t;
    }
}
