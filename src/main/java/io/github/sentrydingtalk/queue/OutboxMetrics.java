package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerComponent;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * What counters in the routes cannot show: how many alerts wait (gauges, per robot and in the queue),
 * and whether the data directory can take new alerts (a Camel health check, so /actuator/health is
 * DOWN when it cannot). Registered once at startup by the announce-config route.
 */
public class OutboxMetrics {

    private RobotBacklog robotBacklog;
    private RobotRegistry robotRegistry;
    private Path dataDir;

    public void setRobotBacklog(RobotBacklog robotBacklog) {
        this.robotBacklog = robotBacklog;
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = Path.of(dataDir);
    }

    public void register(CamelContext context) throws IOException {
        Files.createDirectories(dataDir);
        MeterRegistry registry = context.getComponent("micrometer", MicrometerComponent.class).getMetricsRegistry();
        for (Robot robot : robotRegistry.robots()) {
            Gauge.builder("sentry_dingtalk_outbox_depth", () -> robotBacklog.depth(robot))
                    .description("Alerts waiting in the robot's outbox").tag("robot", robot.name()).register(registry);
        }
        Gauge.builder("sentry_dingtalk_queue_depth", this::queueDepth)
                .description("Accepted alerts not yet fanned out to the robots (file queue only)").register(registry);
        HealthCheckHelper.getHealthCheckRegistry(context).register(new DataDirHealthCheck(dataDir));
    }

    private int queueDepth() {
        try {
            return RobotBacklog.waiting(dataDir.resolve("queue")).size();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * UP while an alert can be written under the data directory: writes and fsyncs a probe the size
     * of a large alert, the way alerts are written, so a full or read-only disk turns it DOWN (an
     * empty file would still be created on a full disk).
     */
    static final class DataDirHealthCheck extends AbstractHealthCheck {
        /** Larger than any alert file (the webhook takes at most 1 MB; an alert keeps a few KB of it). */
        static final int PROBE_BYTES = 64 * 1024;
        private final Path dataDir;

        DataDirHealthCheck(Path dataDir) {
            super("sentry-dingtalk", "data-dir");
            this.dataDir = dataDir;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                Path probe = DurableFiles.write(dataDir, ".health-probe", new byte[PROBE_BYTES]);
                Files.deleteIfExists(probe);
                builder.up();
            } catch (IOException | RuntimeException e) {
                builder.message("the data directory " + dataDir + " cannot take alerts: " + Outbox.unavailableReason(e)).down();
            }
        }
    }
}
