package io.github.sentrydingtalk.common;

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
}
