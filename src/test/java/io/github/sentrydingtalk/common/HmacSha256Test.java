package io.github.sentrydingtalk.common;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha256Test {

    @Test
    void matchesRfc4231TestCase2() {
        byte[] digest = HmacSha256.digest("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(digest))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void anEmptyBodyHasADigestToo() {
        assertThat(HmacSha256.digest("k", new byte[0])).hasSize(32);
    }
}
