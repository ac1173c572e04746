package io.github.sentrydingtalk.queue;

import java.util.concurrent.RejectedExecutionException;

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
 * order.
 */
public class RobotWakeUps implements CamelContextAware {

    private CamelContext camelContext;
    private RobotBacklog robotBacklog;

    /** Which robots are idle with room to send (only those are woken). */
    public void setRobotBacklog(RobotBacklog robotBacklog) {
        this.robotBacklog = robotBacklog;
    }

    /**
     * A poll of the robot's route soon, on its own thread; nothing if the route is not there (yet). The
     * idle mark is taken once, so alerts arriving together wake the robot once; its next look marks it
     * again if it finds nothing.
     */
    public void wake(Robot robot) {
        if (!robotBacklog.takeIdle(robot)) {
            return; // busy, paused, rate limited or already woken: its own next poll takes the alert
        }
        Route route = camelContext.getRoute(RobotRoutes.routeId(robot));
        if (route == null || !(route.getConsumer() instanceof ScheduledPollConsumer consumer)
                || !(consumer.getScheduler() instanceof DefaultScheduledPollConsumerScheduler scheduler)
                || scheduler.getScheduledExecutorService() == null) {
            return;
        }
        try {
            // skips by itself while the route is suspended or stopping
            scheduler.getScheduledExecutorService().execute(consumer::run);
        } catch (RejectedExecutionException stopping) {
            // stopping: nothing to wake
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
