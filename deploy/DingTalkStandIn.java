import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DingTalk stand-in for deploy/verify-image.sh and deploy/compose.yaml: `java DingTalkStandIn.java 9000`.
 * POST /robot/send answers {"errcode":0,"errmsg":"ok"} and keeps the message's title, or HTTP 503 while
 * down. POST /down and POST /up switch the outage; GET /titles lists the titles received, one a line;
 * GET /stats answers "delivered <n> refused <n>".
 */
public class DingTalkStandIn {
    private static final Pattern TITLE = Pattern.compile("\"title\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<String> titles = new CopyOnWriteArrayList<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean down;

    public static void main(String[] args) throws IOException {
        DingTalkStandIn standIn = new DingTalkStandIn();
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 64);
        server.createContext("/", standIn::handle);
        server.start();
        System.out.println("DingTalk stand-in on port " + args[0]);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (exchange.getRequestURI().getPath()) {
                case "/robot/send" -> send(exchange, body);
                case "/down" -> {
                    down = true;
                    reply(exchange, 200, "down");
                }
                case "/up" -> {
                    down = false;
                    reply(exchange, 200, "up");
                }
                case "/titles" -> reply(exchange, 200, String.join("\n", titles));
                case "/stats" -> reply(exchange, 200, "delivered " + titles.size() + " refused " + refused.get());
                default -> reply(exchange, 404, "no such path");
            }
        }
    }

    private void send(HttpExchange exchange, String body) throws IOException {
        if (down) {
            refused.incrementAndGet();
            reply(exchange, 503, "down");
            return;
        }
        Matcher title = TITLE.matcher(body);
        titles.add(title.find() ? title.group(1) : "(no title)");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        reply(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
