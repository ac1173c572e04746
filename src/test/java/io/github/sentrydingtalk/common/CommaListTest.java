package io.github.sentrydingtalk.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommaListTest {

    @Test
    void itemsAreStrippedAndEmptyOnesDropped() {
        assertThat(CommaList.parse(" a, b ,,c,")).containsExactly("a", "b", "c");
        assertThat(CommaList.parse("one")).containsExactly("one");
    }

    @Test
    void nothingGivenIsAnEmptyList() {
        assertThat(CommaList.parse(null)).isEmpty();
        assertThat(CommaList.parse("  ")).isEmpty();
        assertThat(CommaList.parse(" , ,")).isEmpty();
    }
}
