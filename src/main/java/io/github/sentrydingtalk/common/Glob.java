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

    /**
     * Whether {@code value} matches {@code glob} as {@link #pattern} would, without compiling a regular
     * expression: the robots' filters look at every alert, and a compile per glob and alert was a
     * measurable share of the webhook's allocation (bench/results.md, 2026-11-26, fourth session).
     */
    public static boolean matches(String glob, String value) {
        int g = 0;
        int v = 0;
        int star = -1; // position in glob after the last '*' seen
        int resume = 0; // position in value where that '*' match would resume
        while (v < value.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = ++g;
                resume = v;
            } else if (g < glob.length() && glob.charAt(g) == value.charAt(v)) {
                g++;
                v++;
            } else if (star >= 0) { // let the last '*' take one more character
                g = star;
                v = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
