package io.github.sentrydingtalk;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Under Spring Boot, tells the robot and silence registries the highest index configured
 * ({@code dingtalk.robots[N]}, {@code notify.silences[N]}, from any source: files, arguments, environment
 * variables), so they read exactly those indices. Without it (camel-main, the Camel CLI) they probe every
 * index up to 1,000 past the last one found: 16,000 property lookups, each through Spring's relaxed
 * binding, were a third of the startup's CPU.
 */
public class IndexedSettingsScan implements EnvironmentPostProcessor {

    /** Read by RobotRegistry and Silences: {@value}{@code dingtalk.robots} = the highest index, or -1. */
    public static final String LAST_INDEX = "sentry-dingtalk.last-index.";
    static final List<String> LISTS = List.of("dingtalk.robots", "notify.silences");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // computed when asked (when Camel reads its robots), so sources added later (a test's) count too;
        // its source is not the environment itself, which Spring would take for nested sources and loop over
        environment.getPropertySources().addLast(new PropertySource<>("configured-list-sizes", LISTS) {
            @Override
            public Object getProperty(String name) {
                if (!name.startsWith(LAST_INDEX) || !LISTS.contains(name.substring(LAST_INDEX.length()))) {
                    return null;
                }
                return String.valueOf(highestIndex(environment, ConfigurationPropertyName.of(name.substring(LAST_INDEX.length()))));
            }
        });
    }

    static int highestIndex(ConfigurableEnvironment environment, ConfigurationPropertyName list) {
        int highest = -1;
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource names)) {
                continue; // random.*, servlet parameters: never robots or silences
            }
            for (ConfigurationPropertyName name : (Iterable<ConfigurationPropertyName>) names.stream()::iterator) {
                int elements = list.getNumberOfElements();
                if (list.isAncestorOf(name) && name.getNumberOfElements() > elements && name.isNumericIndex(elements)) {
                    try {
                        highest = Math.max(highest, Integer.parseInt(name.getElement(elements, ConfigurationPropertyName.Form.UNIFORM)));
                    } catch (NumberFormatException tooLarge) {
                        return Integer.MAX_VALUE;
                    }
                }
            }
        }
        return highest;
    }
}
