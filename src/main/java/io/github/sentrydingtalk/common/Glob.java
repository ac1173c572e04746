package io.github.sentrydingtalk.common;

/** A {@code *} glob: {@code *} any characters, everything else literally. */
public final class Glob {

    private Glob() {
    }

    /**
     * Whether {@code value} matches {@code glob} whole, without compiling a regular expression: the
     * robots' filters and the silences look at every alert, and a compile per glob and alert was a
     * measurable share of the webhook's allocation (bench/results.md, 2026-11-26, fourth session).
     * GlobTest checks it against the equivalent regular expression.
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

    /**
     * Whether an alert's {@code kind.action} ({@code issue.created}, or {@code event_alert} when it has no
     * action) matches an events glob, for the robots' filters and the silences alike: a glob without a dot
     * names a kind with all its actions ({@code issue} matches {@code issue.resolved}), one with a dot only
     * those actions ({@code issue.created}, {@code issue.*ed}).
     */
    public static boolean matchesEvent(String glob, String kindAndAction) {
        return matches(glob, kindAndAction) || glob.indexOf('.') < 0 && matches(glob + ".*", kindAndAction);
    }
}
