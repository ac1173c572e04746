package io.github.sentrydingtalk.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Small helpers for comparing secrets without leaking them through timing. */
final class Secrets {

    private Secrets() {
    }

    static boolean equalsConstantTime(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
