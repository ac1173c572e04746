package io.github.sentrydingtalk.queue;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sentrydingtalk.dingtalk.Robot;
import io.github.sentrydingtalk.dingtalk.RobotRegistry;
import org.apache.camel.CamelContext;

/**
 * Gives every configured robot its own delivery route, {@code deliver-<robot folder>}, made from the
 * route template {@code robot-delivery} (routes/robot-delivery.camel.yaml): one thread, one set of route
 * statistics and one switch (admin suspend/resume) per robot.
 */
public class RobotRoutes {

    static final String TEMPLATE = "robot-delivery";

    private RobotRegistry robotRegistry;

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    /** Adds (and starts) the routes not there yet: a reloaded route file must not add a robot twice. */
    public void addRoutes(CamelContext context) throws Exception {
        for (Robot robot : robotRegistry.robots()) {
            if (context.getRoute(routeId(robot)) == null) {
                context.addRouteFromTemplate(routeId(robot), TEMPLATE, Map.of("folder", robot.directory()));
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
