package io.github.sentrydingtalk.common;

import java.util.List;

import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {

    @Test
    void aStarIsAnyCharactersAndEverythingElseIsLiteral() {
        assertThat(Glob.pattern("front-*").matcher("front-end").matches()).isTrue();
        assertThat(Glob.pattern("front-*").matcher("back-end").matches()).isFalse();
        assertThat(Glob.pattern("Chrome*").matcher("Chrome 75.0").matches()).isTrue();
        assertThat(Glob.pattern("a.b").matcher("axb").matches()).as("a dot is a dot").isFalse();
        assertThat(Glob.pattern("*").matcher("").matches()).isTrue();
        assertThat(Glob.pattern("(x)").matcher("(x)").matches()).isTrue();
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
                boolean expected = Glob.pattern(glob).matcher(value).matches();
                assertThat(Glob.matches(glob, value)).as("glob '%s' on '%s'", glob, value).isEqualTo(expected);
                matched += expected ? 1 : 0;
            }
        }
        assertThat(matched).as("the grid holds matches and misses").isBetween(40, globs.size() * values.size() - 40);
    }
}
