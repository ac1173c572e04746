import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: the least a durable webhook receiver must do. Reads the body, writes it to its own file,
 * fsyncs it, answers 202. The service's accepted req/s is reported as a share of this one's.
 */
public class FloorServer {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[1]));
        AtomicLong seq = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/webhooks/sentry", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Path file = dir.resolve(seq.incrementAndGet() + ".json");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(body));
                channel.force(true);
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }
}
