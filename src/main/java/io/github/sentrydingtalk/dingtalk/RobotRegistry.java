package io.github.sentrydingtalk.dingtalk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads {@code dingtalk.robots[N].*} through Camel's property placeholders, so the same robots are
 * found under Spring Boot (with relaxed binding: {@code DINGTALK_ROBOTS_0_ACCESS_TOKEN}) and camel-main.
 * With no robot configured it returns a single dry-run robot, so a newcomer sees what would be sent.
 */
public class RobotRegistry implements CamelContextAware {

    static final int MAX_ROBOTS = 100;

    private CamelContext camelContext;
    private volatile List<Robot> robots;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Every robot an alert goes to. */
    public List<Robot> robots() {
        List<Robot> result = robots;
        if (result == null) {
            result = load(camelContext.getPropertiesComponent());
            robots = result;
        }
        return result;
    }

    /** The robot with this name; {@link UnknownRobotException} when there is none. */
    public Robot named(String name) {
        if (name == null || name.isBlank()) {
            throw new UnknownRobotException("robot=NAME is required");
        }
        return robots().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownRobotException("no robot with that name"));
    }

    /** The alert behind a test message: says where it comes from and that all is well. */
    public SentryAlert testAlert() {
        return new SentryAlert("legacy", "test", null, "Test message from sentry-dingtalk-camel", "sentry-dingtalk",
                null, null, "info", null, "If you can read this, the robot's token, secret and keyword work.",
                null, null, null, null, null, null, null, null, null, null, null, null, "test", null);
    }

    /** For the startup log: names and features, never tokens or secrets. */
    public String describe() {
        List<Robot> all = robots();
        if (all.size() == 1 && all.get(0).dryRun()) {
            return "none configured: DRY RUN, messages are only logged and written to the data directory";
        }
        List<String> parts = new ArrayList<>();
        for (Robot r : all) {
            List<String> features = new ArrayList<>();
            if (r.signed()) {
                features.add("signed");
            }
            if (r.keyword() != null) {
                features.add("keyword");
            }
            if (!r.atMobiles().isEmpty() || !r.atUserIds().isEmpty() || r.atAll()) {
                features.add("mentions");
            }
            parts.add(features.isEmpty() ? r.name() : r.name() + " (" + String.join(", ", features) + ")");
        }
        return all.size() + " robot(s): " + String.join(", ", parts);
    }

    /** Whether this robot's filters let this alert through. */
    public boolean accepts(Robot robot, SentryAlert alert) {
        return robot.accepts(alert);
    }

    /** The robots whose filters let this alert through. */
    public List<Robot> robotsFor(SentryAlert alert) {
        return robots().stream().filter(r -> r.accepts(alert)).toList();
    }

    static List<Robot> load(PropertiesComponent properties) {
        List<Robot> found = new ArrayList<>();
        for (int i = 0; i < MAX_ROBOTS; i++) {
            String prefix = "dingtalk.robots[" + i + "].";
            Optional<String> token = get(properties, prefix + "access-token");
            if (token.isEmpty()) {
                continue; // a gap (robots[0] removed, robots[1] kept) must not hide later robots
            }
            Map<String, List<String>> byLevel = new LinkedHashMap<>();
            for (String level : Robot.LEVELS) {
                List<String> mobiles = list(properties, prefix + "at-mobiles-by-level." + level);
                if (!mobiles.isEmpty()) {
                    byLevel.put(level, mobiles);
                }
            }
            found.add(new Robot(
                    get(properties, prefix + "name").orElse("robot-" + (i + 1)),
                    token.get(),
                    get(properties, prefix + "secret").orElse(null),
                    get(properties, prefix + "keyword").orElse(null),
                    list(properties, prefix + "at-mobiles"),
                    list(properties, prefix + "at-user-ids"),
                    get(properties, prefix + "at-all").map(Boolean::parseBoolean).orElse(false),
                    new Robot.Filters(list(properties, prefix + "projects"), list(properties, prefix + "environments"),
                            get(properties, prefix + "min-level").orElse(null), list(properties, prefix + "events")),
                    byLevel,
                    get(properties, prefix + "templates").orElse(null),
                    false));
        }
        found.addAll(SeedPluginSettings.robots(key -> get(properties, key)));
        if (found.isEmpty()) {
            found.add(new Robot("dry-run", null, null, null, List.of(), List.of(), false, true));
        }
        return List.copyOf(found);
    }

    private static Optional<String> get(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A comma list, or a YAML list (which Spring flattens to key[0], key[1], ...). */
    private static List<String> list(PropertiesComponent properties, String key) {
        List<String> values = new ArrayList<>();
        get(properties, key).ifPresent(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).forEach(values::add));
        if (values.isEmpty()) {
            for (int i = 0; i < MAX_ROBOTS; i++) {
                Optional<String> item = get(properties, key + "[" + i + "]");
                if (item.isEmpty()) {
                    break;
                }
                values.add(item.get());
            }
        }
        return values;
    }
}
