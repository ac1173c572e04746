package io.github.sentrydingtalk.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sentrydingtalk.robots.Robot;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Wakes an idle robot's route ({@code deliver-<robot>}) when an alert enters its backlog, instead of
 * letting it wait for its next poll ({@code notify.drain-period}): the first alert of an incident goes
 * out at once. Only a robot that last found its backlog empty with room to send is woken; the extra
 * poll runs on the robot's own scheduler thread, after whatever it is doing, so its messages stay in
 * order; many alerts arriving together wake it once.
 */
public class RobotWakeUps implements CamelContextAware {

    private final Map<String, AtomicBoolean> pending = new ConcurrentHashMap<>();
    private CamelContext camelContext;
    private RobotBacklog robotBacklog;

    /** Which robots are idle with room to send (only those are woken). */
    public void setRobotBacklog(RobotBacklog robotBacklog) {
        this.robotBacklog = robotBacklog;
    }

    /** A poll of the robot's route soon, on its own thread; nothing if the route is not there (yet). */
    public void wake(Robot robot) {
        if (robotBacklog != null && !robotBacklog.takeIdle(robot)) {
            return; // busy, paused or rate limited: its own next poll takes the alert
        }
        Route route = camelContext.getRoute(RobotRoutes.routeId(robot));
        if (route == null || !(route.getConsumer() instanceof ScheduledPollConsumer consumer)
                || !(consumer.getScheduler() instanceof DefaultScheduledPollConsumerScheduler scheduler)) {
            return;
        }
        ScheduledExecutorService thread = scheduler.getScheduledExecutorService();
        AtomicBoolean woken = pending.computeIfAbsent(robot.directory(), folder -> new AtomicBoolean());
        if (thread == null || !woken.compareAndSet(false, true)) {
            return; // a wake-up already waits: it will see this alert too
        }
        try {
            thread.execute(() -> {
                woken.set(false);
                consumer.run(); // skips by itself while the route is suspended or stopping
            });
        } catch (RejectedExecutionException stopping) {
            woken.set(false);
        }
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
