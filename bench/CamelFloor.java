import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The floor's work (read the body, write it to its own file, fsync, 202) as one Camel route on
 * camel-main's Vert.x server, the HTTP stack of deploy/camel-main.sh: what Camel and Vert.x cost before
 * any of the service's own steps. Run from an empty folder (camel-main would pick up routes/ otherwise):
 *   java -cp "$(cat target/camel-main/classpath)" bench/CamelFloor.java PORT FOLDER
 */
public class CamelFloor {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[1]));
        AtomicLong seq = new AtomicLong();
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                // useStreaming as the service's webhook route: the body read as the request's bytes
                from("platform-http:/webhooks/sentry?httpMethodRestrict=POST&useStreaming=true").routeId("floor")
                        .process(exchange -> {
                            byte[] body = exchange.getMessage().getBody(byte[].class);
                            Path file = dir.resolve(seq.incrementAndGet() + ".json");
                            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                                channel.write(ByteBuffer.wrap(body));
                                channel.force(true);
                            }
                            exchange.getMessage().removeHeaders("*");
                            exchange.getMessage().setHeader("CamelHttpResponseCode", 202);
                            exchange.getMessage().setBody("");
                        });
            }
        });
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.port", args[0]);
        main.run();
    }
}
