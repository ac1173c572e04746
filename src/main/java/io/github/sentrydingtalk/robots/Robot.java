package io.github.sentrydingtalk.robots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.sentrydingtalk.common.Glob;
import io.github.sentrydingtalk.dingtalk.DingTalkSink;
import io.github.sentrydingtalk.sentry.SentryAlert;

/**
 * One DingTalk group robot and which alerts it wants. {@link #toString()} names the robot only: the
 * token and secret must never reach a log line, an exception message or a file.
 *
 * @param sink      what sending to it takes: token, secret, keyword, mentions
 * @param atMobilesByLevel extra mobiles to @mention for alerts of a level
 * @param filters   which alerts go to this robot; empty filters let everything through
 * @param templates a folder whose templates override the default ones by name, or null
 * @param dryRun  true for the stand-in robot used when none is configured: its messages are logged
 *                and written to the data directory instead of sent
 * @param showTags the Sentry tag keys its messages list, in this order
 * @param onCall  the rotation whose person on duty is @mentioned too, or null
 * @param buttons whether its issue alerts carry action buttons (when the service is set up for them)
 * @param resolveInNextRelease whether those buttons include "Resolve in next release"
 */
public record Robot(String name, DingTalkSink sink, Filters filters, Map<String, List<String>> atMobilesByLevel,
                    String templates, boolean dryRun, List<String> showTags, OnCall onCall, boolean buttons,
                    boolean resolveInNextRelease) {

    public static final List<String> LEVELS = List.of("debug", "info", "warning", "error", "fatal");

    public Robot {
        filters = filters == null ? Filters.NONE : filters;
        atMobilesByLevel = Map.copyOf(atMobilesByLevel);
        showTags = showTags == null ? List.of() : List.copyOf(showTags);
    }

    /** A robot with the default buttons: Open, Resolve, Archive. */
    public Robot(String name, DingTalkSink sink, Filters filters, Map<String, List<String>> atMobilesByLevel,
                 String templates, boolean dryRun, List<String> showTags, OnCall onCall) {
        this(name, sink, filters, atMobilesByLevel, templates, dryRun, showTags, onCall, true, false);
    }

    /** A robot whose messages list no tags. */
    public Robot(String name, DingTalkSink sink, Filters filters, Map<String, List<String>> atMobilesByLevel,
                 String templates, boolean dryRun) {
        this(name, sink, filters, atMobilesByLevel, templates, dryRun, List.of(), null);
    }

    /** A robot with no filters and no mentions by level. */
    public Robot(String name, String accessToken, String secret, String keyword, List<String> atMobiles,
                 List<String> atUserIds, boolean atAll, boolean dryRun) {
        this(name, new DingTalkSink(accessToken, secret, keyword, atMobiles, atUserIds, atAll), Filters.NONE, Map.of(),
                null, dryRun);
    }

    public boolean accepts(SentryAlert alert) {
        return filters.accept(alert);
    }

    /** The mobiles to @mention for these alerts: always-mentioned ones, then those for the alerts' levels. */
    public List<String> mobilesFor(List<SentryAlert> alerts) {
        Set<String> mobiles = new LinkedHashSet<>(sink.atMobiles());
        for (SentryAlert alert : alerts) {
            if (alert.level() != null) {
                mobiles.addAll(atMobilesByLevel.getOrDefault(alert.level().toLowerCase(Locale.ROOT), List.of()));
            }
        }
        return new ArrayList<>(mobiles);
    }

    /** The robot's folder name under outbox/ (and robots/ for its templates): see {@link #folderName}. */
    public String directory() {
        return folderName(name);
    }

    /**
     * A name as a folder name, one to one: letters, digits and {@code -} stay as they are (so {@code ops}
     * and {@code 告警} keep their folders); every other character, {@code _} included, becomes {@code _XX}
     * per UTF-8 byte. So {@code a/b} is {@code a_2Fb}, {@code a_b} is {@code a_5Fb}, {@code ..} is
     * {@code _2E_2E}: no two names share a folder, and none is {@code .} or {@code ..}.
     */
    public static String folderName(String name) {
        StringBuilder folder = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if (cp == '-' || Character.isLetterOrDigit(cp)) {
                folder.appendCodePoint(cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    folder.append('_').append(String.format("%02X", b & 0xFF));
                }
            }
        });
        return folder.toString();
    }

    /** The folder name versions up to 0.1 used ({@code /} and the like as {@code _}): moved at startup. */
    static String legacyFolderName(String name) {
        return name.replaceAll("[^\\p{L}\\p{N}._-]", "_");
    }

    @Override
    public String toString() {
        return "Robot[" + name + "]";
    }

    /**
     * Routing filters, combined with AND. An empty list means "no filter". An alert that lacks the
     * field a filter tests does not match it.
     *
     * @param projects     project slugs, with {@code *} globs
     * @param environments environments, with {@code *} globs
     * @param minLevel     debug &lt; info &lt; warning &lt; error &lt; fatal
     * @param events       {@code kind} or {@code kind.action}, with {@code *}; kind is event_alert, error,
     *                     issue, metric_alert or legacy
     * @param tags         Sentry tags as {@code key:value} with {@code *} in the value: every key named must
     *                     match one of its values ({@code team:a,team:b,browser:Chrome*}: team a or b, and
     *                     a Chrome browser)
     */
    public record Filters(List<String> projects, List<String> environments, String minLevel, List<String> events,
                          List<String> tags) {

        public static final Filters NONE = new Filters(List.of(), List.of(), null, List.of(), List.of());

        public Filters {
            projects = List.copyOf(projects);
            environments = List.copyOf(environments);
            events = List.copyOf(events);
            tags = tags == null ? List.of() : List.copyOf(tags);
            if (minLevel != null && !LEVELS.contains(minLevel.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("min-level must be one of " + LEVELS);
            }
            for (String tag : tags) {
                if (tag.indexOf(':') < 1) {
                    throw new IllegalArgumentException("tags must be key:value globs such as team:payments or"
                            + " browser:Chrome*, got '" + tag + "'");
                }
            }
        }

        /** No tag filter. */
        public Filters(List<String> projects, List<String> environments, String minLevel, List<String> events) {
            this(projects, environments, minLevel, events, List.of());
        }

        boolean accept(SentryAlert a) {
            if (!projects.isEmpty() && !anyGlob(projects, a.projectSlug())) {
                return false;
            }
            if (!environments.isEmpty() && !anyGlob(environments, a.environment())) {
                return false;
            }
            if (minLevel != null && (a.severity() < 0 || a.severity() < LEVELS.indexOf(minLevel.toLowerCase(Locale.ROOT)))) {
                return false;
            }
            if (!tags.isEmpty() && !acceptTags(a.tags() == null ? Map.of() : a.tags())) {
                return false;
            }
            if (!events.isEmpty()) {
                String event = a.action() == null ? a.kind() : a.kind() + "." + a.action();
                return events.stream().anyMatch(p -> Glob.matchesEvent(p, event));
            }
            return true;
        }

        /** Each key the filter names is present with a value one of its globs matches. */
        private boolean acceptTags(Map<String, String> alertTags) {
            Map<String, List<String>> globsByKey = new LinkedHashMap<>();
            for (String tag : tags) {
                int colon = tag.indexOf(':');
                globsByKey.computeIfAbsent(tag.substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(tag.substring(colon + 1).strip());
            }
            return globsByKey.entrySet().stream().allMatch(e -> anyGlob(e.getValue(), alertTags.get(e.getKey())));
        }

        private static boolean anyGlob(List<String> patterns, String value) {
            return value != null && patterns.stream().anyMatch(p -> Glob.matches(p, value));
        }
    }
}
