package io.github.sentrydingtalk.dingtalk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes a rendered message smaller by at least {@code overflow} bytes of JSON. The heading (first
 * line) and link lines ({@code [...](...)} alone on a line) are kept; the longest other lines are cut
 * first, at a character boundary and never inside a Markdown link, and marked with "…".
 */
final class MessageTruncator {

    private static final String MARK = "…";

    private MessageTruncator() {
    }

    static String shorten(String text, int overflow) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        // JSON escaping can double a byte (\\ or \"), so count each removed byte as one, and aim past it.
        long toRemove = overflow + 64L;
        while (toRemove > 0) {
            int longest = -1;
            for (int i = 1; i < lines.size(); i++) {
                if (!isLinkLine(lines.get(i)) && !lines.get(i).endsWith(MARK)
                        && (longest < 0 || bytes(lines.get(i)) > bytes(lines.get(longest)))) {
                    longest = i;
                }
            }
            if (longest < 0) {
                break; // only the heading and links are left
            }
            String line = lines.get(longest);
            int keep = (int) Math.max(0, bytes(line) - toRemove - bytes(MARK));
            String cut = cut(line, keep);
            toRemove -= bytes(line) - bytes(cut);
            lines.set(longest, cut);
        }
        return String.join("\n", lines);
    }

    /** The longest prefix of at most {@code maxBytes} UTF-8 bytes that ends outside a link, plus "…". */
    static String cut(String line, int maxBytes) {
        int end = 0;
        int used = 0;
        while (end < line.length()) {
            int cp = line.codePointAt(end);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > maxBytes) {
                break;
            }
            used += size;
            end += Character.charCount(cp);
        }
        String prefix = line.substring(0, end);
        int open = prefix.lastIndexOf('[');
        if (open >= 0 && (open == 0 || prefix.charAt(open - 1) != '\\') && !prefix.substring(open).contains(")")) {
            prefix = prefix.substring(0, open); // never half a link
        }
        return prefix + MARK;
    }

    private static boolean isLinkLine(String line) {
        String s = line.strip();
        return s.startsWith("[") && s.endsWith(")") && s.contains("](");
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
