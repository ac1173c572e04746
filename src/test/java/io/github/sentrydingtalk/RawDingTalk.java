package io.github.sentrydingtalk;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DingTalk stand-in on a raw {@link ServerSocket}, for answers no well-behaved HTTP server gives:
 * a reset in the middle of the body, a body that trickles, a body that never ends. Each robot (by
 * {@code access_token}) gets a script of answers, one per attempt; the last one repeats. Robots
 * without a script get errcode 0.
 */
final class RawDingTalk implements AutoCloseable {

    /** One attempt as the stand-in saw it. */
    record Attempt(String token, String body, long startedAt, long endedAt, long bytesWritten) {
        long millis() {
            return endedAt - startedAt;
        }
    }

    /** Writes an answer on the connection; returns the answer bytes written. */
    interface Answer {
        long write(Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    RawDingTalk() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAll, "raw-dingtalk");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String baseUrl() {
        return "http://localhost:" + server.getLocalPort();
    }

    void script(String token, Answer... answers) {
        scripts.put(token, new ArrayDeque<>(List.of(answers)));
    }

    List<Attempt> attempts(String token) {
        return attempts.stream().filter(a -> token.equals(a.token())).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    // --- answers ---

    static Answer json(int status, String json) {
        return (socket, out) -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(head(status, body.length));
            out.write(body);
            out.flush();
            return body.length;
        };
    }

    /** Promises 200 bytes, sends a few, then resets the connection (RST, not FIN). */
    static Answer resetMidAnswer() {
        return (socket, out) -> {
            byte[] part = "{\"errcode\":0,\"er".getBytes(StandardCharsets.UTF_8);
            out.write(head(200, 200));
            out.write(part);
            out.flush();
            socket.setSoLinger(true, 0);
            socket.close();
            return part.length;
        };
    }

    /** One byte a second until the client gives up; the attempt ends when the client closes. */
    static Answer trickle() {
        return (socket, out) -> {
            out.write(head(200, 10_000));
            out.flush();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(1000);
            long written = 0;
            for (int i = 0; i < 120; i++) {
                try {
                    out.write(i == 0 ? '{' : ' ');
                    out.flush();
                    written++;
                    if (in.read() < 0) {
                        return written; // the client closed the connection
                    }
                } catch (SocketTimeoutException stillThere) {
                    continue;
                } catch (IOException gone) {
                    return written;
                }
            }
            return written;
        };
    }

    /** A 200 that announces and streams {@code size} bytes of JSON-looking text, as fast as it is read. */
    static Answer flood(long size) {
        return (socket, out) -> {
            out.write(head(200, size));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            byte[] start = "{\"errcode\":0,\"errmsg\":\"".getBytes(StandardCharsets.UTF_8);
            out.write(start);
            long written = start.length;
            try {
                while (written < size) {
                    int n = (int) Math.min(chunk.length, size - written);
                    out.write(chunk, 0, n);
                    written += n;
                }
                out.flush();
            } catch (IOException clientGaveUp) {
                // expected: the client stops reading and closes
            }
            return written;
        };
    }

    private static byte[] head(int status, long contentLength) {
        return ("HTTP/1.1 " + status + " X\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: "
                + contentLength + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    // --- the server ---

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> answer(socket), "raw-dingtalk-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        long startedAt = System.currentTimeMillis();
        String token = "?";
        String body = "";
        long written = 0;
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = readHead(in);
            String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            body = new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8);
            token = queryParam(target, "access_token");
            written = next(token).write(socket, socket.getOutputStream());
        } catch (IOException clientGaveUp) {
            // the attempt is recorded all the same
        } finally {
            attempts.add(new Attempt(token, body, startedAt, System.currentTimeMillis(), written));
        }
    }

    private Answer next(String token) {
        Deque<Answer> script = scripts.get(token);
        if (script == null || script.isEmpty()) {
            return json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        }
        synchronized (script) {
            return script.size() > 1 ? script.removeFirst() : script.peekFirst();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request head ended");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    private static String queryParam(String target, String name) {
        int q = target.indexOf('?');
        if (q < 0) {
            return "";
        }
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
