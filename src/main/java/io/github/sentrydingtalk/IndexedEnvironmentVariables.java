package io.github.sentrydingtalk;

import java.util.Map;

import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;

/**
 * camel-main only: list settings from environment variables the way Spring Boot reads them, so a
 * container configured for the jar works unchanged: {@code dingtalk.robots[0].access-token} from
 * {@code DINGTALK_ROBOTS_0_ACCESS_TOKEN}, {@code notify.silences[2].robots} from
 * {@code NOTIFY_SILENCES_2_ROBOTS}. Camel's own environment lookup maps dots and dashes to underscores,
 * but not {@code [N]}. Only keys with an index are answered here; Camel answers the others.
 */
public class IndexedEnvironmentVariables implements PropertiesSource, Ordered {

    private final Map<String, String> environment;

    public IndexedEnvironmentVariables(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String getName() {
        return "indexed-environment-variables";
    }

    @Override
    public String getProperty(String name) {
        return name.indexOf('[') < 0 ? null : environment.get(variableName(name));
    }

    /** As Camel's environment variables: before application.properties. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    /** {@code dingtalk.robots[0].access-token} → {@code DINGTALK_ROBOTS_0_ACCESS_TOKEN}. */
    static String variableName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.' || c == '-' || c == '[') {
                name.append('_');
            } else if (c != ']') {
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString();
    }
}
