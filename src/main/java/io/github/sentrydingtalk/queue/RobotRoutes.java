package io.github.sentrydingtalk.queue;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExtendedStartupListener;

/**
 * Gives every configured robot its own delivery route, {@code deliver-<robot folder>}, made from the
 * route template {@code robot-delivery} (routes/robot-delivery.camel.yaml): one thread, one set of route
 * statistics and one switch (admin suspend/resume) per robot. They are added once Camel has started
 * every other route: a route added while Camel is still starting would never be started.
 */
public class RobotRoutes implements CamelContextAware, ExtendedStartupListener {

    static final String TEMPLATE = "robot-delivery";
    /** Clustered mode: the robot's backlog is its Kafka topic (robot-delivery-kafka.camel.yaml). */
    static final String KAFKA_TEMPLATE = "robot-delivery-kafka";

    private RobotRegistry robotRegistry;
    private KafkaRobotBacklog kafkaRobotBacklog;
    private CamelContext camelContext;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /**
     * The bean's init method (routes/beans.camel.yaml), not {@link #setCamelContext}: the Camel CLI also
     * makes an instance of every bean class it compiles, and that one, with no registry, must stay idle.
     */
    public void listenForStartup() throws Exception {
        camelContext.addStartupListener(this);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (alreadyStarted) {
            addRoutes(context);
        }
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        addRoutes(context);
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    /** Clustered when notify.kafka.bootstrap-servers is set: then the robots' backlogs are Kafka topics. */
    public void setKafkaRobotBacklog(KafkaRobotBacklog kafkaRobotBacklog) {
        this.kafkaRobotBacklog = kafkaRobotBacklog;
    }

    private String template() {
        return kafkaRobotBacklog != null && kafkaRobotBacklog.isClustered() ? KAFKA_TEMPLATE : TEMPLATE;
    }

    /** Adds (and starts) the routes not there yet: a reloaded route file must not add a robot twice. */
    public synchronized void addRoutes(CamelContext context) throws Exception {
        for (Robot robot : robotRegistry.robots()) {
            if (context.getRoute(routeId(robot)) == null) {
                context.addRouteFromTemplate(routeId(robot), template(), Map.of("folder", robot.directory(), "name", robot.name(),
                        "dryRun", String.valueOf(robot.dryRun()), "appRobot", String.valueOf(robot.sink().appRobot())));
            }
        }
    }

    /** The robot's folder name is URI-safe (letters, digits, {@code -}, {@code _XX}): so is its route id. */
    public static String routeId(Robot robot) {
        return "deliver-" + robot.directory();
    }

    /** For an admin answer: {"robot":NAME,"route":ID,"status":"Started"|"Suspended"|...}. */
    public Map<String, String> status(Robot robot, CamelContext context) {
        Map<String, String> status = new LinkedHashMap<>();
        status.put("robot", robot.name());
        status.put("route", routeId(robot));
        status.put("status", String.valueOf(context.getRouteController().getRouteStatus(routeId(robot))));
        return status;
    }
}
