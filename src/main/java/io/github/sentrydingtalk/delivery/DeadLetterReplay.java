package io.github.sentrydingtalk.delivery;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a robot's dead letters again, after the user fixed what made them fail: each letter's alert
 * goes back into the robot's backlog (and through the rate limit) the way the fan-out puts alerts there,
 * through {@code direct:put-in-backlog} (an outbox file, or the robot's Kafka topic), and the letter leaves the
 * dead letters ({@link DeadLetters}: the dead-letter folder, or Kafka's topic in clustered mode). If it fails again, a new letter with the new reason is written. A letter that
 * cannot be read is moved to {@code dead-letter/.corrupt/} with one WARN; the others are replayed.
 */
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private DeadLetters deadLetters;
    private RobotRegistry robotRegistry;

    public void setDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    /** Moves robot NAME's dead letters back to its backlog; answers {@code {"robot":…,"replayed":N}}. */
    public Map<String, Object> replay(String robotName, Exchange request) throws IOException {
        Robot robot = robotRegistry.named(robotName);
        int count = 0;
        try (ProducerTemplate template = request.getContext().createProducerTemplate()) {
            for (DeadLetters.Letter letter : deadLetters.all()) {
                JsonNode record = read(letter);
                JsonNode alert = record == null ? null : record.path("alert");
                if (alert == null || !robot.name().equals(record.path("robot").asText()) || !alert.isObject()) {
                    continue;
                }
                String id = alert.path("id").asText(letter.name().replace(".json", ""));
                putInBacklog(template, robot, id, alert.path("acceptedAt").asText(null), mapper.writeValueAsString(alert));
                deadLetters.remove(letter.name());
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

    /** The letter's JSON, or null when it is unreadable (then set aside). */
    private JsonNode read(DeadLetters.Letter letter) {
        try {
            JsonNode record = mapper.readTree(letter.json());
            if (record != null && record.isObject()) {
                return record;
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: set aside below
        }
        deadLetters.setAside(letter.name());
        return null;
    }
}
