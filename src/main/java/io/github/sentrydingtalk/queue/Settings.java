package io.github.sentrydingtalk.queue;

/**
 * Checks, at startup, the settings that only the routes read (retries, threads, timeouts), so a wrong
 * value stops the service with one line naming it, instead of starting and never sending. Declared
 * first in beans.camel.yaml: it also checks the numbers other beans take, before Camel converts them.
 */
public class Settings {

    public void setMaxMessages(String value) {
        wholeNumber("dingtalk.rate-limit.max-messages", value, 1);
    }

    public void setMaxEntries(String value) {
        wholeNumber("notify.idempotency.max-entries", value, 1);
    }

    public void setDeliveryThreads(String value) {
        wholeNumber("notify.delivery-threads", value, 1);
    }

    public void setDrainPeriod(String value) {
        wholeNumber("notify.drain-period", value, 1);
    }

    public void setTemplatesUpdateDelay(String value) {
        wholeNumber("notify.templates-update-delay", value, 0);
    }

    public void setConnectTimeout(String value) {
        wholeNumber("dingtalk.http.connect-timeout", value, 1);
    }

    public void setResponseTimeout(String value) {
        wholeNumber("dingtalk.http.response-timeout", value, 1);
    }

    public void setMaxRedeliveries(String value) {
        wholeNumber("dingtalk.retry.max-redeliveries", value, 0);
    }

    public void setInitialDelay(String value) {
        wholeNumber("dingtalk.retry.initial-delay", value, 0);
    }

    public void setMaxDelay(String value) {
        wholeNumber("dingtalk.retry.max-delay", value, 0);
    }

    public void setBackoffMultiplier(String value) {
        String property = "dingtalk.retry.backoff-multiplier";
        try {
            double d = Double.parseDouble(value.strip());
            if (d >= 1 && d <= 1000) {
                return;
            }
        } catch (NumberFormatException | NullPointerException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(property + " must be a number from 1 to 1000, got '" + value + "'");
    }

    public void setWindow(String value) {
        Durations.parsePositive("dingtalk.rate-limit.window", value);
    }

    public void setPause(String value) {
        Durations.parsePositive("dingtalk.rate-limit.pause", value);
    }

    public void setOutagePause(String value) {
        Durations.parsePositive("dingtalk.retry.outage-pause", value);
    }

    public void setGiveUpAfter(String value) {
        Durations.parseAtLeastZero("dingtalk.retry.give-up-after", value);
    }

    public void setTtl(String value) {
        Durations.parsePositive("notify.idempotency.ttl", value);
    }

    /** A whole number of at least {@code min} (and at most Integer.MAX_VALUE); else one line saying so. */
    public static int wholeNumber(String property, String value, int min) {
        try {
            return atLeast(property, Integer.parseInt(value.strip()), min);
        } catch (NumberFormatException | NullPointerException e) {
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
