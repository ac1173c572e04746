import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DingTalk stand-in for benchmarks: answers errcode 0 at once, or HTTP 503 while "down".
 * Checks order: post.lua numbers each wrk thread's requests ("bench-<thread>-<n>" in the title); with one
 * connection per thread they reach the service in that order, so per robot (access_token) and thread
 * the numbers must only go up.
 * GET /stats: "delivered outOfOrder"; GET /last: "delivered arrivalMicros" (epoch microseconds at which the
 * last message arrived, for the time from a 202 to DingTalk); POST /down, POST /up switch the outage.
 */
public class FastDingTalk {
    private static final Pattern SEQ = Pattern.compile("bench-(\\d+)-(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("access_token=([^&]+)");

    public static void main(String[] args) throws Exception {
        AtomicLong delivered = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        AtomicBoolean down = new AtomicBoolean();
        AtomicLong lastArrivalMicros = new AtomicLong();
        Map<String, Long> last = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/robot/send", exchange -> {
            Instant arrival = Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (down.get()) {
                answer(exchange, 503, "");
                return;
            }
            Matcher token = TOKEN.matcher(exchange.getRequestURI().getRawQuery());
            Matcher seq = SEQ.matcher(body);
            if (token.find() && seq.find()) {
                long n = Long.parseLong(seq.group(2));
                Long before = last.put(token.group(1) + "/" + seq.group(1), n);
                if (before != null && before >= n) {
                    outOfOrder.incrementAndGet();
                }
            }
            lastArrivalMicros.set(arrival.getEpochSecond() * 1_000_000 + arrival.getNano() / 1_000);
            delivered.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        });
        server.createContext("/stats", exchange -> answer(exchange, 200, delivered.get() + " " + outOfOrder.get()));
        server.createContext("/last", exchange -> answer(exchange, 200, delivered.get() + " " + lastArrivalMicros.get()));
        server.createContext("/down", exchange -> {
            down.set(true);
            answer(exchange, 200, "down");
        });
        server.createContext("/up", exchange -> {
            down.set(false);
            answer(exchange, 200, "up");
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
