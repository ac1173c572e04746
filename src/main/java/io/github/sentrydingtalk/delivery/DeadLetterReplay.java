package io.github.sentrydingtalk.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import io.github.sentrydingtalk.queue.RobotBacklog;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a robot's dead letters again, after the user fixed what made them fail: each letter's alert
 * goes back into the robot's backlog (and through the rate limit) the way the fan-out puts alerts there,
 * through {@code direct:put-in-backlog} (an outbox file, or the robot's Kafka topic), and the letter leaves the
 * dead-letter folder. If it fails again, a new letter with the new reason is written. A letter that
 * cannot be read is moved to {@code dead-letter/.corrupt/} with one WARN; the others are replayed.
 */
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private Path deadLetters;
    private RobotRegistry robotRegistry;

    public void setDeadLetters(String deadLetters) {
        this.deadLetters = Path.of(deadLetters);
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    /** Moves robot NAME's dead letters back to its backlog; answers {@code {"robot":…,"replayed":N}}. */
    public Map<String, Object> replay(String robotName, Exchange request) throws IOException {
        Robot robot = robotRegistry.named(robotName);
        int count = 0;
        try (ProducerTemplate template = request.getContext().createProducerTemplate()) {
            for (Path letter : letters()) {
                JsonNode record = read(letter);
                JsonNode alert = record == null ? null : record.path("alert");
                if (alert == null || !robot.name().equals(record.path("robot").asText()) || !alert.isObject()) {
                    continue;
                }
                String id = alert.path("id").asText(letter.getFileName().toString().replace(".json", ""));
                putInBacklog(template, robot, id, alert.path("acceptedAt").asText(null), mapper.writeValueAsString(alert));
                Files.deleteIfExists(letter);
                count++;
            }
        }
        return Map.of("robot", robot.name(), "replayed", count);
    }

    /** Durable when this returns; fails (the letter stays) when the outbox or Kafka cannot take it. */
    private static void putInBacklog(ProducerTemplate template, Robot robot, String id, String acceptedAt, String alertJson)
            throws IOException {
        Exchange done = template.send("direct:put-in-backlog", exchange -> {
            exchange.setVariable("robot", robot);
            exchange.setVariable("alertId", id);
            exchange.setVariable("acceptedAt", acceptedAt);
            exchange.getMessage().setBody(alertJson);
        });
        Exception failure = done.getException();
        if (failure instanceof IOException io) {
            throw io; // answered by http-errors: 503 for a full disk
        }
        if (failure instanceof RuntimeException e) {
            throw e; // 503 when Kafka cannot take it
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    /** The letter's JSON, or null when it is unreadable (then moved aside) or already gone. */
    private JsonNode read(Path letter) {
        try {
            JsonNode record = mapper.readTree(Files.readString(letter, StandardCharsets.UTF_8));
            if (record != null && record.isObject()) {
                return record;
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            // unreadable: set aside below
        }
        try {
            RobotBacklog.moveAside(letter);
            LOG.warn("Moved unreadable dead letter {} to {}/", letter.getFileName(), letter.resolveSibling(RobotBacklog.CORRUPT));
        } catch (IOException e) {
            LOG.warn("Cannot set aside unreadable dead letter {}: {}", letter.getFileName(), e.getMessage());
        }
        return null;
    }

    /** Dead letters, oldest first: {@code *.json}, not the dot-files of writes in progress. */
    private List<Path> letters() throws IOException {
        if (!Files.isDirectory(deadLetters)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(deadLetters)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        }
    }
}
