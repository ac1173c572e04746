package io.github.sentrydingtalk.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Checks every number and duration setting when Camel starts, so a wrong value stops the service with
 * one line naming it and the accepted form, instead of starting and never sending. Read straight from the
 * properties (not bound as bean properties): YAML beans are created when first used, some only on the
 * first webhook.
 */
public class Settings implements CamelContextAware {

    private static final Map<String, BiConsumer<String, String>> CHECKS = new LinkedHashMap<>();

    static {
        wholeNumbers(1, "dingtalk.rate-limit.max-messages", "dingtalk.http.connect-timeout",
                "dingtalk.http.response-timeout", "dingtalk.http.deadline", "notify.drain-period",
                "notify.idempotency.max-entries");
        wholeNumbers(0, "dingtalk.retry.max-redeliveries", "dingtalk.retry.initial-delay", "dingtalk.retry.max-delay",
                "notify.templates-update-delay");
        CHECKS.put("dingtalk.retry.backoff-multiplier", Settings::multiplier);
        for (String property : new String[] {"dingtalk.rate-limit.window", "dingtalk.rate-limit.pause",
                "dingtalk.retry.outage-pause", "notify.idempotency.ttl"}) {
            CHECKS.put(property, Durations::parsePositive);
        }
        CHECKS.put("dingtalk.retry.give-up-after", Durations::parseAtLeastZero);
    }

    private CamelContext camelContext;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        check(camelContext.getPropertiesComponent()::resolveProperty);
    }

    /** Throws for the first setting that is set and wrong. */
    public static void check(Function<String, Optional<String>> setting) {
        CHECKS.forEach((property, check) -> setting.apply(property).ifPresent(value -> check.accept(property, value)));
    }

    private static void wholeNumbers(int min, String... properties) {
        for (String property : properties) {
            CHECKS.put(property, (p, value) -> wholeNumber(p, value, min));
        }
    }

    private static void multiplier(String property, String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (d >= 1 && d <= 1000) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + " must be a number from 1 to 1000, got '" + value + "'");
    }

    /** A whole number of at least {@code min} (and at most Integer.MAX_VALUE); else one line saying so. */
    public static int wholeNumber(String property, String value, int min) {
        try {
            return atLeast(property, Integer.parseInt(value.strip()), min);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number >= " + min + ", got '" + value + "'");
        }
    }

    public static int atLeast(String property, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(property + " must be a whole number >= " + min + ", got '" + value + "'");
        }
        return value;
    }
}
