package io.github.sentrydingtalk.security;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads the streamed request body into bytes, at most {@code sentry.max-body-size} of them, so a huge
 * body is refused (413) instead of filling the heap. Runs first on every POST route, under every
 * runtime (camel-main's HTTP server ignores its own size limit when the route streams).
 */
public class RequestBodyLimit implements Processor {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?B)?");

    private long maxBytes = 1024 * 1024;

    /** Bytes, or Spring's notation: 512KB, 1MB. */
    public void setMaxBodySize(String size) {
        maxBytes = parseSize(size);
    }

    /** sentry.max-body-size in bytes, for every runtime (the Spring Boot servlet filter reads it here too). */
    public static long parseSize(String size) {
        Matcher m = SIZE.matcher(size == null ? "" : size.strip().toUpperCase(Locale.ROOT));
        IllegalArgumentException wrong = new IllegalArgumentException(
                "sentry.max-body-size must be a size >= 1 like 1048576, 512KB or 1MB, got '" + size + "'");
        if (!m.matches()) {
            throw wrong;
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw wrong;
        }
        if (bytes < 1) {
            throw wrong;
        }
        return bytes;
    }

    public long getMaxBytes() {
        return maxBytes;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw tooLarge();
        }
        Object body = exchange.getMessage().getBody();
        byte[] bytes = body instanceof InputStream in
                ? in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1))
                : exchange.getMessage().getBody(byte[].class);
        if (bytes != null && bytes.length > maxBytes) {
            throw tooLarge();
        }
        exchange.getMessage().setBody(bytes);
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException(maxBytes);
    }
}
