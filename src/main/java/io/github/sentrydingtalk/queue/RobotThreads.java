package io.github.sentrydingtalk.queue;

import java.util.List;
import java.util.concurrent.ExecutorService;

import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one robot's planned batch ({@code List<Delivery>}) to a thread of its own, which sends it to
 * {@code deliveries} (a route) and waits there through the robot's retries. The planner keeps at most
 * one batch per robot in flight, so a pool of one thread per robot never makes a robot wait for
 * another: a robot whose DingTalk is slow only ever holds its own thread. Idle threads go after a
 * minute. Whatever ends the batch, even an {@link Error}, its deliveries are released in a
 * {@code finally}, so the robot is planned again.
 */
public class RobotThreads implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RobotThreads.class);

    private CamelContext camelContext;
    private OutboxPlanner outboxPlanner;
    private RobotRegistry robotRegistry;
    private String deliveries;
    private ExecutorService threads;
    private ProducerTemplate template;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setOutboxPlanner(OutboxPlanner outboxPlanner) {
        this.outboxPlanner = outboxPlanner;
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    /** The endpoint each batch is sent to, on its robot's thread. */
    public void setDeliveries(String deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws InvalidPayloadException {
        List<Delivery> batch = exchange.getMessage().getMandatoryBody(List.class);
        try {
            threads().execute(() -> deliver(batch));
        } catch (RuntimeException | Error e) {
            outboxPlanner.releaseAll(batch); // not started (shutting down): planned again after the restart
            throw e;
        }
    }

    private void deliver(List<Delivery> batch) {
        try {
            Exchange done = template.send(deliveries, e -> e.getMessage().setBody(batch));
            if (done.getException() != null) {
                LOG.warn("Delivery of {} ended with {}: its alerts stay in the outbox", batch.get(0).getRobot(),
                        done.getException().toString());
            }
        } catch (Throwable e) { // an Error (OutOfMemoryError, say) too: the thread goes on serving robots
            LOG.error("Delivery of {} ended with {}: its alerts stay in the outbox", batch.get(0).getRobot(), e.toString());
        } finally {
            outboxPlanner.releaseAll(batch);
        }
    }

    /** One thread per robot at most; created on first use, stopped with Camel (camel.main.shutdown-timeout). */
    private synchronized ExecutorService threads() {
        if (threads == null) {
            int robots = Math.max(1, robotRegistry.robots().size());
            ThreadPoolProfile profile = new ThreadPoolProfileBuilder("robot-deliveries")
                    .poolSize(robots).maxPoolSize(robots).maxQueueSize(-1).allowCoreThreadTimeOut(true)
                    .keepAliveTime(60L).build();
            threads = camelContext.getExecutorServiceManager().newThreadPool(this, "robot-deliveries", profile);
            template = camelContext.createProducerTemplate();
        }
        return threads;
    }
}
