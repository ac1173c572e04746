package io.github.sentrydingtalk.dingtalk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DingTalk pieces are a building block of their own (the dingtalk-sink Kamelet uses them without
 * Sentry): no file of this package names anything of Sentry, of the service's other packages or of Spring.
 */
class DingTalkPackageBoundaryTest {

    static final Path PACKAGE = Path.of("src/main/java/io/github/sentrydingtalk/dingtalk");
    /** A dotted name: an import, or a class named fully qualified in code. */
    static final Pattern QUALIFIED_NAME = Pattern.compile("\\b[A-Za-z_][\\w]*(?:\\.[A-Za-z_][\\w]*)+");
    static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void namesNothingOfSentryTheOtherPackagesOrSpring() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.list(PACKAGE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
                Matcher name = QUALIFIED_NAME.matcher(code);
                while (name.find()) {
                    if (forbidden(name.group())) {
                        offences.add(file.getFileName() + ": " + name.group());
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void theRuleCatchesWhatItMustAndLetsThroughWhatItMay() {
        assertThat(forbidden("io.github.sentrydingtalk.sentry.SentryAlert")).isTrue();
        assertThat(forbidden("io.github.sentrydingtalk.queue.Delivery")).isTrue();
        assertThat(forbidden("io.github.sentrydingtalk.robots.Robot")).isTrue();
        assertThat(forbidden("io.sentry.Sentry")).isTrue();
        assertThat(forbidden("org.springframework.stereotype.Component")).isTrue();
        assertThat(forbidden("io.github.sentrydingtalk.dingtalk.DingTalkSigner")).isFalse();
        assertThat(forbidden("io.github.sentrydingtalk.common.HmacSha256")).isFalse();
        assertThat(forbidden("org.apache.camel.Exchange")).isFalse();
    }

    static boolean forbidden(String name) {
        if (name.startsWith("io.github.sentrydingtalk.dingtalk.") || name.startsWith("io.github.sentrydingtalk.common.")
                || name.equals("io.github.sentrydingtalk.dingtalk")) {
            return false;
        }
        return name.startsWith("io.github.sentrydingtalk.") || name.startsWith("org.springframework")
                || name.toLowerCase(java.util.Locale.ROOT).contains("sentry");
    }
}
