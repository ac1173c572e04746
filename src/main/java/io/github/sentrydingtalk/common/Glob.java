package io.github.sentrydingtalk.common;

import java.util.regex.Pattern;

/** A {@code *} glob as a regular expression: {@code *} any characters, everything else literally. */
public final class Glob {

    private Glob() {
    }

    public static Pattern pattern(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
