package io.github.sentrydingtalk.common;

import java.util.Arrays;
import java.util.List;

/** A setting's comma list ("a, b,,c"): items stripped, empty ones dropped. Shared by every package. */
public final class CommaList {

    private CommaList() {
    }

    public static List<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
