package io.github.sentrydingtalk.robots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.sentrydingtalk.common.CommaList;
import io.github.sentrydingtalk.dingtalk.AppRobot;
import io.github.sentrydingtalk.dingtalk.DingTalkSink;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code dingtalk.robots[N].*} through Camel's property placeholders, so the same robots are
 * found under Spring Boot (with relaxed binding: {@code DINGTALK_ROBOTS_0_ACCESS_TOKEN}) and camel-main.
 * With no robot configured it returns a single dry-run robot, so a newcomer sees what would be sent.
 */
public class RobotRegistry implements CamelContextAware {

    /** Robots are found up to this many indices past the last one: dingtalk.robots[0] and [900] both count. */
    static final int MAX_GAP = 1000;
    /** A YAML list (key[0], key[1], ...) is read up to its first gap, at most this long. */
    private static final int MAX_LIST_ITEMS = 1000;
    /** Most file systems allow 255 bytes per folder name. */
    private static final int MAX_FOLDER_BYTES = 255;
    private static final Logger LOG = LoggerFactory.getLogger(RobotRegistry.class);

    private CamelContext camelContext;
    private Path outbox;
    private volatile List<Robot> robots;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Robots are read and checked here, at startup: a wrong setting stops the service, not the first webhook. */
    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        if (camelContext != null) {
            robots = load(camelContext.getPropertiesComponent());
            if (outbox != null) {
                moveLegacyOutboxes(outbox, robots);
            }
        }
    }

    /** Where the robots' outbox folders are, to move folders named the way versions up to 0.1 named them. */
    public void setOutbox(String outbox) {
        this.outbox = Path.of(outbox);
        if (robots != null) {
            moveLegacyOutboxes(this.outbox, robots);
        }
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

    /** The robot whose outbox folder (and delivery route) has this name. */
    public Robot inFolder(String folder) {
        return robots().stream().filter(r -> r.directory().equals(folder)).findFirst()
                .orElseThrow(() -> new UnknownRobotException("no robot with that folder"));
    }

    /** The alert behind a test message: says where it comes from and that all is well. */
    public SentryAlert testAlert() {
        return SentryAlert.builder().kind("legacy").action("test").title("Test message from sentry-dingtalk-camel")
                .projectSlug("sentry-dingtalk").level("info")
                .message("If you can read this, the robot's token, secret and keyword work.").id("test").build();
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
            if (r.sink().appRobot()) {
                features.add(r.sink().app().toGroup() ? "app robot, group" : "app robot, one-to-one");
            }
            if (r.sink().signed()) {
                features.add("signed");
            }
            if (r.sink().keyword() != null) {
                features.add("keyword");
            }
            if (r.sink().mentions()) {
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
        List<String> sources = new ArrayList<>();
        int lastIndex = lastIndex(properties, "dingtalk.robots");
        for (int i = 0, lastSeen = -1; i <= Math.min(lastSeen + MAX_GAP, lastIndex); i++) {
            String prefix = "dingtalk.robots[" + i + "].";
            Optional<String> token = get(properties, prefix + "access-token");
            Optional<String> name = get(properties, prefix + "name");
            AppRobot app = appRobot(properties, prefix);
            if (token.isPresent() || name.isPresent() || app != null) {
                lastSeen = i;
            }
            if (token.isEmpty() && app == null) {
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
                    name.orElse("robot-" + (i + 1)),
                    new DingTalkSink(token.orElse(null),
                            get(properties, prefix + "secret").orElse(null),
                            get(properties, prefix + "keyword").orElse(null),
                            list(properties, prefix + "at-mobiles"),
                            list(properties, prefix + "at-user-ids"),
                            bool(properties, prefix + "at-all"),
                            app),
                    new Robot.Filters(list(properties, prefix + "projects"), list(properties, prefix + "environments"),
                            level(properties, prefix + "min-level"), list(properties, prefix + "events"),
                            tags(properties, prefix + "tags")),
                    byLevel,
                    folder(properties, prefix + "templates"),
                    false,
                    list(properties, prefix + "show-tags"),
                    onCall(properties, prefix + "on-call."),
                    bool(properties, prefix + "buttons", true),
                    bool(properties, prefix + "resolve-in-next-release", false)));
            sources.add("dingtalk.robots[" + i + "].name");
        }
        for (Robot seeded : SeedPluginSettings.robots(key -> get(properties, key))) {
            found.add(seeded);
            sources.add("DINGTALK_ACCESS_TOKENS (" + seeded.name() + ")");
        }
        checkNames(found, sources);
        if (found.isEmpty()) {
            found.add(new Robot("dry-run", null, null, null, List.of(), List.of(), false, true));
        }
        return List.copyOf(found);
    }

    /** Unique names, and folders that stay apart even on a file system that ignores case. */
    private static void checkNames(List<Robot> robots, List<String> sources) {
        Map<String, Integer> folders = new HashMap<>();
        for (int i = 0; i < robots.size(); i++) {
            String name = robots.get(i).name();
            String folder = robots.get(i).directory();
            if (folder.getBytes(StandardCharsets.UTF_8).length > MAX_FOLDER_BYTES) {
                throw new IllegalArgumentException(sources.get(i) + " must be a name of at most " + MAX_FOLDER_BYTES
                        + " bytes as a folder name (" + folder.length() + " characters here), got '" + name + "'");
            }
            String key = Normalizer.normalize(folder, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
            Integer other = folders.putIfAbsent(key, i);
            if (other != null) {
                String otherName = robots.get(other).name();
                throw new IllegalArgumentException(sources.get(i) + " must be unique, ignoring letter case: '" + name
                        + "' is taken by " + sources.get(other) + (otherName.equals(name) ? "" : " ('" + otherName + "')"));
            }
        }
    }

    /**
     * Versions up to 0.1 named a robot's folder by replacing characters with {@code _}; a folder whose name
     * changes under {@link Robot#folderName} moves, so its alerts are still sent. A folder several names
     * shared goes to the robot it is named after (it got their alerts before, too).
     */
    static void moveLegacyOutboxes(Path outbox, List<Robot> robots) {
        Map<String, Robot> current = new HashMap<>();
        robots.forEach(r -> current.put(r.directory(), r));
        Map<String, Robot> owners = new LinkedHashMap<>();
        for (Robot robot : robots) {
            String legacy = Robot.legacyFolderName(robot.name());
            if (!legacy.equals(robot.directory()) && !current.containsKey(legacy) && !legacy.matches("\\.*")) {
                owners.merge(legacy, robot, (first, next) -> next.name().equals(legacy) ? next : first);
            }
        }
        owners.forEach((legacy, robot) -> {
            Path from = outbox.resolve(legacy);
            Path to = outbox.resolve(robot.directory());
            if (!Files.isDirectory(from)) {
                return;
            }
            try {
                if (!Files.exists(to)) {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    try (Stream<Path> files = Files.list(from)) {
                        for (Path file : files.toList()) {
                            Files.move(file, to.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                    Files.delete(from);
                }
                LOG.info("Moved the outbox of robot '{}' from {} to {} (folder names are now one per robot name)",
                        robot.name(), from, to);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the outbox of robot '" + robot.name() + "' from " + from
                        + " to " + to + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * {@code type=app}: an enterprise app robot (app-key, app-secret, robot-code, and open-conversation-id or
     * user-ids); null for a webhook robot ({@code type=webhook}, the default). Messages never quote a secret.
     */
    private static AppRobot appRobot(PropertiesComponent properties, String prefix) {
        String type = get(properties, prefix + "type").orElse("webhook");
        boolean appSettings = get(properties, prefix + "app-key").isPresent()
                || get(properties, prefix + "app-secret").isPresent() || get(properties, prefix + "robot-code").isPresent();
        if (type.equals("webhook")) {
            if (appSettings) {
                throw new IllegalArgumentException(prefix + "app-key, app-secret and robot-code are for an enterprise"
                        + " app robot: set " + prefix + "type=app");
            }
            return null;
        }
        if (!type.equals("app")) {
            throw new IllegalArgumentException(prefix + "type must be webhook or app, got '" + type + "'");
        }
        for (String webhookOnly : List.of("access-token", "secret")) {
            if (get(properties, prefix + webhookOnly).isPresent()) {
                throw new IllegalArgumentException(prefix + webhookOnly + " is for a webhook robot: an app robot"
                        + " (type=app) sends with app-key and app-secret; remove " + prefix + webhookOnly);
            }
        }
        for (String required : List.of("app-key", "app-secret", "robot-code")) {
            if (get(properties, prefix + required).isEmpty()) {
                throw new IllegalArgumentException(prefix + required + " must be set for an app robot (type=app):"
                        + " see the app in the DingTalk developer console");
            }
        }
        Optional<String> conversation = get(properties, prefix + "open-conversation-id");
        List<String> userIds = list(properties, prefix + "user-ids");
        if (conversation.isPresent() == !userIds.isEmpty()) {
            throw new IllegalArgumentException(prefix + "open-conversation-id (a group) or " + prefix + "user-ids"
                    + " (one-to-one): set exactly one of them for an app robot (type=app)");
        }
        return new AppRobot(get(properties, prefix + "app-key").get(), get(properties, prefix + "app-secret").get(),
                get(properties, prefix + "robot-code").get(), conversation.orElse(null), userIds);
    }

    private static String level(PropertiesComponent properties, String key) {
        Optional<String> level = get(properties, key);
        if (level.isPresent() && !Robot.LEVELS.contains(level.get().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(key + " must be one of " + String.join(", ", Robot.LEVELS)
                    + ", got '" + level.get() + "'");
        }
        return level.orElse(null);
    }

    private static List<String> tags(PropertiesComponent properties, String key) {
        List<String> tags = list(properties, key);
        for (String tag : tags) {
            if (tag.indexOf(':') < 1) {
                throw new IllegalArgumentException(key + " must be key:value globs such as team:payments,browser:Chrome*,"
                        + " got '" + tag + "'");
            }
        }
        return tags;
    }

    /** on-call.mobiles or on-call.user-ids, with on-call.shift and on-call.start; null when neither is set. */
    private static OnCall onCall(PropertiesComponent properties, String prefix) {
        List<String> mobiles = list(properties, prefix + "mobiles");
        List<String> userIds = list(properties, prefix + "user-ids");
        if (mobiles.isEmpty() && userIds.isEmpty()) {
            return null;
        }
        if (!mobiles.isEmpty() && !userIds.isEmpty()) {
            throw new IllegalArgumentException(prefix + "mobiles and " + prefix + "user-ids: set one of them, not both");
        }
        String shift = get(properties, prefix + "shift").orElseThrow(() ->
                new IllegalArgumentException(prefix + "shift must be set, a duration such as 1d or 7d"));
        Duration shiftDuration;
        try {
            shiftDuration = Duration.ofMillis(TimeUtils.toMilliSeconds(shift));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix + "shift must be a duration such as 12h, 1d or 7d, got '" + shift + "'");
        }
        if (shiftDuration.toMillis() <= 0) {
            throw new IllegalArgumentException(prefix + "shift must be a duration such as 12h, 1d or 7d, got '" + shift + "'");
        }
        String start = get(properties, prefix + "start").orElseThrow(() ->
                new IllegalArgumentException(prefix + "start must be set, a date-time with its zone such as 2026-11-23T09:00+08:00[Asia/Shanghai]"));
        try {
            return new OnCall(mobiles.isEmpty() ? userIds : mobiles, mobiles.isEmpty(), shiftDuration, ZonedDateTime.parse(start));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(prefix + "start must be a date-time with its zone such as"
                    + " 2026-11-23T09:00+08:00[Asia/Shanghai], got '" + start + "'");
        }
    }

    private static boolean bool(PropertiesComponent properties, String key) {
        return bool(properties, key, false);
    }

    private static boolean bool(PropertiesComponent properties, String key, boolean unset) {
        Optional<String> value = get(properties, key);
        if (value.isPresent() && !value.get().equalsIgnoreCase("true") && !value.get().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + value.get() + "'");
        }
        return value.map(Boolean::parseBoolean).orElse(unset);
    }

    private static String folder(PropertiesComponent properties, String key) {
        Optional<String> folder = get(properties, key);
        if (folder.isPresent() && !Files.isDirectory(Path.of(folder.get()))) {
            throw new IllegalArgumentException(key + " must be an existing folder, got '" + folder.get() + "'");
        }
        return folder.orElse(null);
    }

    /**
     * The highest index of a list setting ({@code dingtalk.robots[N]}, {@code notify.silences[N]}) when
     * the runtime knows it (Spring Boot lists every source's names, IndexedSettingsScan); otherwise no
     * bound, and the caller probes up to MAX_GAP past the last index it found.
     */
    public static int lastIndex(PropertiesComponent properties, String list) {
        return properties.resolveProperty("sentry-dingtalk.last-index." + list).map(Integer::parseInt).orElse(Integer.MAX_VALUE);
    }

    private static Optional<String> get(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A comma list, or a YAML list (which Spring flattens to key[0], key[1], ...). */
    private static List<String> list(PropertiesComponent properties, String key) {
        List<String> values = new ArrayList<>(CommaList.parse(properties.resolveProperty(key).orElse(null)));
        if (values.isEmpty()) {
            for (int i = 0; i < MAX_LIST_ITEMS; i++) {
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
