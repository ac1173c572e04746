package io.github.sentrydingtalk.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.micrometer.MicrometerComponent;

/**
 * The per-message delivery metrics, each tagged with the robot, in the micrometer component's registry
 * (Spring's under Spring Boot, the component's own under camel-main). A {@code micrometer:} endpoint per
 * metric did the same, but builds and registers the meter again on every message (its tags are Simple
 * expressions, then Spring's meter filters run): 9 % of a robot thread's CPU in the drain benchmark.
 * Here each meter is found once per robot (and errcode) and kept.
 */
public class DeliveryMetrics implements CamelContextAware {

    static final String DELIVERED = "sentry_dingtalk_delivered";
    static final String LATENCY = "sentry_dingtalk_accept_to_delivered_seconds";
    static final String DIGESTED = "sentry_dingtalk_digested";
    static final String RETRIED = "sentry_dingtalk_retried";
    static final String ANSWERS = "sentry_dingtalk_answers";
    static final String DEAD_LETTERED = "sentry_dingtalk_dead_lettered";

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private CamelContext camelContext;
    private volatile MeterRegistry registry;

    /** DingTalk accepted the message: counted, and the wait of its oldest alert since its 202 recorded. */
    public void countDelivered(String robot, Delivery delivery) {
        counter(DELIVERED, "Messages DingTalk accepted", robot).increment();
        summaries.computeIfAbsent(robot, r -> DistributionSummary.builder(LATENCY)
                        .description("From the 202 to DingTalk's errcode 0, oldest alert of the message")
                        .tag("robot", r).register(registry()))
                .record(delivery.secondsSinceAccepted());
    }

    /** The alerts folded into a digest by the rate limit. */
    public void countDigested(String robot, Delivery delivery) {
        counter(DIGESTED, "Alerts folded into digests by the rate limit", robot).increment(delivery.getCount());
    }

    public void countRetry(String robot) {
        counter(RETRIED, "Attempts after the first (transient failures)", robot).increment();
    }

    /** DingTalk's answer by errcode (0, 310000, ..., http-502, no-answer). */
    public void countAnswer(String robot, String errcode) {
        String code = errcode == null ? "no-answer" : errcode;
        counters.computeIfAbsent(ANSWERS + '\0' + robot + '\0' + code, key -> Counter.builder(ANSWERS)
                .description("DingTalk answers by errcode").tag("robot", robot).tag("errcode", code)
                .register(registry())).increment();
    }

    /** One alert that finally failed, for one robot. */
    public void countDeadLetter(String robot) {
        counter(DEAD_LETTERED, "Alerts that finally failed, one per robot", robot).increment();
    }

    private Counter counter(String name, String description, String robot) {
        return counters.computeIfAbsent(name + '\0' + robot, key -> Counter.builder(name)
                .description(description).tag("robot", robot).register(registry()));
    }

    private MeterRegistry registry() {
        if (registry == null) {
            registry = camelContext.getComponent("micrometer", MicrometerComponent.class).getMetricsRegistry();
        }
        return registry;
    }

    /** For tests: the registry to use instead of the micrometer component's. */
    void setRegistry(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
