package io.github.sentrydingtalk.silences;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import io.github.sentrydingtalk.robots.UnknownRobotException;
import io.github.sentrydingtalk.sentry.SentryAlert;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The silences the routes ask about: the configured ones ({@code notify.silences[N].*}, read and checked when
 * Camel starts) and the ad-hoc ones of the admin API, kept in a {@link SilenceStore}. Time comes from the
 * clock, which tests set.
 */
public class Silences implements CamelContextAware {

    /** Configured silences are found up to this many indices past the last one (as robots are). */
    private static final int MAX_GAP = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PROPERTY_NAMES = Silence.FIELDS.stream()
            .collect(java.util.stream.Collectors.toMap(f -> f, Silences::kebab));

    /** One robot an alert is not sent to, the silence that mutes it, and until when (ISO-8601, or "forever"). */
    public record Muted(String robot, String silence, String until) {
    }

    private CamelContext camelContext;
    private SilenceStore store;
    private RobotRegistry robotRegistry;
    private Clock clock = Clock.systemUTC();
    private ZoneId defaultZone = ZoneId.systemDefault();
    private volatile List<Silence> configured = List.of();
    /** The configured silences' fields by index, read once: 14 lookups for each of 1,000+ indices cost ~1 s of startup. */
    private Map<Integer, Map<String, String>> configuredFields = Map.of();
    private final Map<Silence, SilenceMatcher> matchers = new ConcurrentHashMap<>();

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Configured silences are read and checked here: a wrong one stops the service, naming the property. */
    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        configuredFields = read(camelContext.getPropertiesComponent());
        configured = build(configuredFields);
    }

    public void setStore(SilenceStore store) {
        this.store = store;
    }

    /** To refuse an ad-hoc silence for a robot that does not exist (a typo would mute nothing). */
    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    /** The time zone of a silence that names none (notify.time-zone); empty: the JVM's. */
    public void setTimeZone(String timeZone) {
        try {
            defaultZone = timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : Times.zone(timeZone, null);
        } catch (InvalidSilenceException e) {
            throw new IllegalArgumentException("notify.time-zone: " + e.reason());
        }
        if (camelContext != null) {
            configured = build(configuredFields); // built in the wrong zone before
        }
    }

    /** The robots among these that a silence active now mutes this alert for, each with the silence. */
    public List<Muted> mutedAmong(List<Robot> robots, SentryAlert alert) {
        List<Muted> muted = new ArrayList<>();
        if (configured.isEmpty() && store.all().isEmpty()) {
            return muted;
        }
        Instant now = clock.instant();
        for (Robot robot : robots) {
            mutingNow(robot.name(), alert, now).ifPresent(m -> muted.add(m));
        }
        return muted;
    }

    /** These robots without the muted ones. */
    public List<Robot> withoutMuted(List<Robot> robots, List<Muted> muted) {
        if (muted.isEmpty()) {
            return robots;
        }
        return robots.stream().filter(r -> muted.stream().noneMatch(m -> m.robot().equals(r.name()))).toList();
    }

    /** For preview: what mutes this alert for this robot now, or null (also when the robot's filters drop it). */
    public Muted muting(Robot robot, SentryAlert alert) {
        return alert != null && robot.accepts(alert) ? mutingNow(robot.name(), alert, clock.instant()).orElse(null) : null;
    }

    /** A new ad-hoc silence from a JSON object (POST /admin/silences), kept in the store: {"id": its id}. */
    public Map<String, String> add(String json) throws IOException {
        Map<String, Object> fields;
        try {
            fields = JSON.readValue(json == null ? "" : json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new InvalidSilenceException("body", "must be a JSON object of the silence's fields");
        }
        if (fields == null) {
            throw new InvalidSilenceException("body", "must be a JSON object of the silence's fields");
        }
        Silence silence = Silence.of(newId(), "api", fields, clock.instant(), defaultZone, true);
        if (silence.robot() != null && robotRegistry != null) {
            try {
                robotRegistry.named(silence.robot());
            } catch (UnknownRobotException e) {
                throw new InvalidSilenceException("robot", "no robot with that name");
            }
        }
        store.save(silence);
        return Map.of("id", silence.id());
    }

    /** Every silence, configured ones first, each with its state now: active (and until when), pending or expired. */
    public List<Map<String, Object>> list() {
        Instant now = clock.instant();
        List<Map<String, Object>> all = new ArrayList<>();
        for (Silence silence : all()) {
            Map<String, Object> shown = JSON.convertValue(silence, new TypeReference<LinkedHashMap<String, Object>>() { });
            Optional<Instant> until = matcher(silence).activeUntil(now);
            boolean over = silence.end() != null && !now.isBefore(Instant.parse(silence.end()));
            shown.put("state", until.isPresent() ? "active" : over ? "expired" : "pending");
            until.ifPresent(u -> shown.put("activeUntil", untilText(u)));
            all.add(shown);
        }
        return all;
    }

    /** Lifts an ad-hoc silence (DELETE /admin/silences/{id}). */
    public Map<String, String> remove(String id) throws IOException {
        if (configured.stream().anyMatch(s -> s.id().equals(id))) {
            throw new InvalidSilenceException("id", "a configured silence is lifted by removing it from the configuration");
        }
        if (!store.remove(id)) {
            throw new UnknownSilenceException();
        }
        matchers.keySet().removeIf(s -> s.id().equals(id));
        return Map.of("id", id, "state", "deleted");
    }

    private Optional<Muted> mutingNow(String robot, SentryAlert alert, Instant now) {
        for (Silence silence : all()) {
            SilenceMatcher matcher = matcher(silence);
            if (matcher.matches(robot, alert)) {
                Optional<Instant> until = matcher.activeUntil(now);
                if (until.isPresent()) {
                    return Optional.of(new Muted(robot, silence.id(), untilText(until.get())));
                }
            }
        }
        return Optional.empty();
    }

    private List<Silence> all() {
        List<Silence> all = new ArrayList<>(configured);
        all.addAll(store.all());
        return all;
    }

    private SilenceMatcher matcher(Silence silence) {
        return matchers.computeIfAbsent(silence, SilenceMatcher::of);
    }

    private static String untilText(Instant until) {
        return until.equals(Instant.MAX) ? "forever" : until.toString();
    }

    private static String newId() {
        return UUID.randomUUID().toString().substring(0, 13);
    }

    private static Map<Integer, Map<String, String>> read(PropertiesComponent properties) {
        Map<Integer, Map<String, String>> found = new LinkedHashMap<>();
        int lastIndex = RobotRegistry.lastIndex(properties, "notify.silences");
        for (int i = 0, lastSeen = -1; i <= Math.min(lastSeen + MAX_GAP, lastIndex); i++) {
            String prefix = prefix(i);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : Silence.FIELDS) {
                properties.resolveProperty(prefix + PROPERTY_NAMES.get(field)).filter(v -> !v.isBlank()).ifPresent(v -> fields.put(field, v));
            }
            if (!fields.isEmpty()) {
                lastSeen = i;
                found.put(i, fields);
            }
        }
        return found;
    }

    private List<Silence> build(Map<Integer, Map<String, String>> fieldsByIndex) {
        List<Silence> found = new ArrayList<>();
        fieldsByIndex.forEach((i, fields) -> {
            try {
                found.add(Silence.of("configured-" + i, "configured", fields, clock.instant(), defaultZone, false));
            } catch (InvalidSilenceException e) {
                String property = Silence.FIELDS.contains(e.field()) ? prefix(i) + kebab(e.field()) : prefix(i) + "*";
                throw new IllegalArgumentException(property + ": " + e.reason());
            }
        });
        return List.copyOf(found);
    }

    private static String prefix(int index) {
        return "notify.silences[" + index + "].";
    }

    /** timeZone -> time-zone, as the properties name it. */
    private static String kebab(String field) {
        return field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
