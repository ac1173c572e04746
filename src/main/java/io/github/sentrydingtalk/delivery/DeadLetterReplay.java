package io.github.sentrydingtalk.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.dingtalk.Robot;
import io.github.sentrydingtalk.dingtalk.RobotRegistry;
import io.github.sentrydingtalk.queue.OutboxPlanner;

/**
 * Sends a robot's dead letters again, after the user fixed what made them fail: each letter's alert
 * goes back into the robot's outbox (and through the rate limit), and the letter leaves the
 * dead-letter folder. If it fails again, a new letter with the new reason is written.
 */
public class DeadLetterReplay {

    private final ObjectMapper mapper = new ObjectMapper();
    private Path deadLetters;
    private RobotRegistry robotRegistry;
    private OutboxPlanner outboxPlanner;

    public void setDeadLetters(String deadLetters) {
        this.deadLetters = Path.of(deadLetters);
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    public void setOutboxPlanner(OutboxPlanner outboxPlanner) {
        this.outboxPlanner = outboxPlanner;
    }

    /** Moves robot NAME's dead letters back to its outbox; answers {@code {"robot":…,"replayed":N}}. */
    public Map<String, Object> replay(String robotName) throws IOException {
        Robot robot = robotRegistry.named(robotName);
        Path outbox = outboxPlanner.folder(robot);
        Files.createDirectories(outbox);
        int count = 0;
        for (Path letter : letters()) {
            JsonNode record = mapper.readTree(Files.readString(letter, StandardCharsets.UTF_8));
            JsonNode alert = record.path("alert");
            if (!robot.name().equals(record.path("robot").asText()) || !alert.isObject()) {
                continue;
            }
            String id = alert.path("id").asText(letter.getFileName().toString().replace(".json", ""));
            Path tmp = outbox.resolve("." + id + ".json");
            Files.writeString(tmp, mapper.writeValueAsString(alert), StandardCharsets.UTF_8);
            Files.move(tmp, outbox.resolve(id + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(letter);
            count++;
        }
        return Map.of("robot", robot.name(), "replayed", count);
    }

    private List<Path> letters() throws IOException {
        if (!Files.isDirectory(deadLetters)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(deadLetters)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
