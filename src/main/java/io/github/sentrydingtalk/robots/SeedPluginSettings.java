package io.github.sentrydingtalk.robots;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sentrydingtalk.common.CommaList;

/**
 * The four settings of the Sentry DingTalk plugin this service replaces, read as environment variables
 * unchanged, so a user can paste them:
 * <ul>
 * <li>{@code DINGTALK_ACCESS_TOKENS}: one token (or whole webhook URL) per line;</li>
 * <li>{@code DINGTALK_SECRETS}: one per line, paired with the tokens by line, {@code -} or empty for none;</li>
 * <li>{@code DINGTALK_KEYWORD}, {@code DINGTALK_AT_MOBILES} (comma list): for every robot.</li>
 * </ul>
 * Robots are named robot-1, robot-2, ... by their token's line. Pairing is by line number, so a blank
 * or trailing line in either list shifts nothing (the plugin's own bug).
 */
final class SeedPluginSettings {

    private static final Pattern TOKEN_IN_URL = Pattern.compile("[?&]access_token=([^&#\\s]+)");

    private SeedPluginSettings() {
    }

    static List<Robot> robots(Function<String, Optional<String>> setting) {
        Optional<String> tokens = setting.apply("DINGTALK_ACCESS_TOKENS");
        if (tokens.isEmpty()) {
            return List.of();
        }
        List<String> tokenLines = lines(tokens.get());
        List<String> secretLines = lines(setting.apply("DINGTALK_SECRETS").orElse(""));
        String keyword = setting.apply("DINGTALK_KEYWORD").orElse(null);
        List<String> mobiles = CommaList.parse(setting.apply("DINGTALK_AT_MOBILES").orElse(null));
        List<Robot> robots = new ArrayList<>();
        for (int line = 0; line < tokenLines.size(); line++) {
            String token = token(tokenLines.get(line));
            if (token.isEmpty()) {
                continue;
            }
            String secret = line < secretLines.size() ? secretLines.get(line) : "";
            robots.add(new Robot("robot-" + (robots.size() + 1), token,
                    secret.isEmpty() || secret.equals("-") ? null : secret, keyword, mobiles, List.of(), false, false));
        }
        return robots;
    }

    private static List<String> lines(String value) {
        return Arrays.stream(value.split("\\r?\\n|\\r", -1)).map(String::strip).toList();
    }

    /** A bare token, or the access_token of a pasted webhook URL. */
    private static String token(String line) {
        Matcher m = TOKEN_IN_URL.matcher(line);
        return m.find() ? m.group(1) : line;
    }
}
