package io.github.sentrydingtalk.common;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {

    /** The oracle: the glob as a regular expression, * as .*, everything else quoted. */
    private static Pattern pattern(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }

    @Test
    void aStarIsAnyCharactersAndEverythingElseIsLiteral() {
        assertThat(Glob.matches("front-*", "front-end")).isTrue();
        assertThat(Glob.matches("front-*", "back-end")).isFalse();
        assertThat(Glob.matches("Chrome*", "Chrome 75.0")).isTrue();
        assertThat(Glob.matches("a.b", "axb")).as("a dot is a dot").isFalse();
        assertThat(Glob.matches("*", "")).isTrue();
        assertThat(Glob.matches("(x)", "(x)")).isTrue();
    }

    @Test
    void anEventGlobWithoutADotNamesTheKindWithAllItsActions() {
        assertThat(Glob.matchesEvent("issue", "issue.resolved")).isTrue();
        assertThat(Glob.matchesEvent("issue", "issue")).isTrue();
        assertThat(Glob.matchesEvent("issue", "issues.created")).isFalse();
        assertThat(Glob.matchesEvent("issue.created", "issue.resolved")).isFalse();
        assertThat(Glob.matchesEvent("issue.*ed", "issue.resolved")).isTrue();
        assertThat(Glob.matchesEvent("metric_alert.critical", "metric_alert")).isFalse();
        assertThat(Glob.matchesEvent("*alert", "metric_alert.warning")).isTrue();
    }

    @Test
    void matchesWithoutARegexAgreesWithThePatternOnEveryPair() {
        List<String> globs = List.of("", "*", "**", "a", "a*", "*a", "*a*", "a*b", "a*b*c", "*.*", "issue",
                "issue.*", "front-*", "*-end", "ab*ab", "a**b", "(x)", "a.b", "Chrome*", "*aab", "a*a*a");
        List<String> values = List.of("", "a", "b", "ab", "aab", "aaab", "abab", "abc", "axbxc", "acb", "ba",
                "issue", "issue.created", "front-end", "back-end", "(x)", "axb", "a.b", "Chrome 75.0", "aaa", "aa");
        int matched = 0;
        for (String glob : globs) {
            for (String value : values) {
                boolean expected = pattern(glob).matcher(value).matches();
                assertThat(Glob.matches(glob, value)).as("glob '%s' on '%s'", glob, value).isEqualTo(expected);
                matched += expected ? 1 : 0;
            }
        }
        assertThat(matched).as("the grid holds matches and misses").isBetween(40, globs.size() * values.size() - 40);
    }
}
