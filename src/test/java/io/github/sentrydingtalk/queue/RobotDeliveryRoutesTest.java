package io.github.sentrydingtalk.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The robot-delivery template (routes/robot-delivery.camel.yaml) with the real backlog, rate limits and
 * pauses, and a stand-in for direct:deliver: one route per robot, each on a thread of its own.
 */
class RobotDeliveryRoutesTest {

    @TempDir
    Path dir;

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final CountDownLatch slowRobotHeld = new CountDownLatch(1);
    private final CountDownLatch letSlowRobotGo = new CountDownLatch(1);
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Map<String, String> threadByRobot = new ConcurrentHashMap<>();
    private final AtomicInteger failingAttempts = new AtomicInteger();
    private RobotBacklog backlog;

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.put("dingtalk.robots[0].name", "slow");
        props.put("dingtalk.robots[0].access-token", "slow-token");
        props.put("dingtalk.robots[1].name", "failing");
        props.put("dingtalk.robots[1].access-token", "failing-token");
        props.put("dingtalk.robots[2].name", "prompt");
        props.put("dingtalk.robots[2].access-token", "prompt-token");
        props.put("dingtalk.robots[3].name", "ops/eu");
        props.put("dingtalk.robots[3].access-token", "eu-token");
        props.put("notify.drain-period", "20");
        context.getPropertiesComponent().setInitialProperties(props);
        RobotRegistry registry = new RobotRegistry();
        registry.setCamelContext(context);
        Outbox outbox = new Outbox();
        outbox.setDirectory(dir.toString());
        backlog = new RobotBacklog();
        backlog.setOutbox(outbox);
        RobotRoutes robotRoutes = new RobotRoutes();
        robotRoutes.setRobotRegistry(registry);
        context.getRegistry().bind("robotRegistry", registry);
        context.getRegistry().bind("robotBacklog", backlog);
        context.getRegistry().bind("rateLimits", new RateLimits());
        context.getRegistry().bind("robotPauses", new RobotPauses());
        CatchErrors deliver = new CatchErrors();
        deliver.setUri("direct:deliver");
        context.getRegistry().bind("deliverCatchingErrors", deliver);
        robotRoutes.setCamelContext(context);
        robotRoutes.listenForStartup();
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveResource(context, "file:routes/robot-delivery.camel.yaml"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:deliver").process(e -> {
                    Delivery delivery = e.getMessage().getBody(Delivery.class);
                    String robot = delivery.getRobot().name();
                    threadByRobot.putIfAbsent(robot, Thread.currentThread().getName());
                    switch (robot) {
                        case "slow" -> {
                            slowRobotHeld.countDown();
                            letSlowRobotGo.await();
                        }
                        case "failing" -> {
                            failingAttempts.incrementAndGet();
                            throw new OutOfMemoryError("a 400 MB answer");
                        }
                        default -> {
                            delivered.add(delivery.getAlert().title());
                            backlog.remove(delivery);
                        }
                    }
                });
            }
        });
        context.getShutdownStrategy().setTimeout(1); // the exchange an Error cut short is never done
        for (String robot : List.of("slow", "failing", "prompt", "ops_2Feu")) {
            Path folder = Files.createDirectories(dir.resolve(robot));
            Files.writeString(folder.resolve("0000000000001-a.json"), "{\"id\":\"1\",\"title\":\"" + robot + " 1\"}");
        }
        context.start();
    }

    @AfterEach
    void stop() {
        letSlowRobotGo.countDown();
        context.stop();
    }

    @Test
    void eachConfiguredRobotHasItsOwnDeliveryRoute() {
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getRoutes().size() == 5);
        assertThat(context.getRoutes().stream().map(Route::getRouteId))
                .contains("deliver-slow", "deliver-failing", "deliver-prompt", "deliver-ops_2Feu");
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("ops_2Feu 1"));
    }

    @Test
    void aSlowRobotHoldsOnlyItsOwnThreadAndAnErrorOnlyEndsThatPoll() throws Exception {
        assertThat(slowRobotHeld.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("prompt 1"));

        // The failing robot, whose delivery hit an OutOfMemoryError, is polled again: its alert stayed in
        // the outbox and is offered again. The slow one still holds its own thread only.
        await().atMost(Duration.ofSeconds(10)).until(() -> failingAttempts.get() >= 3);
        assertThat(Files.exists(dir.resolve("failing/0000000000001-a.json"))).isTrue();

        // The prompt robot's next alert goes out while the slow one still waits.
        Files.writeString(dir.resolve("prompt/0000000000002-b.json"), "{\"id\":\"2\",\"title\":\"prompt 2\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("prompt 2"));
        assertThat(letSlowRobotGo.getCount()).as("the slow robot still holds its thread").isEqualTo(1);
        assertThat(Set.copyOf(threadByRobot.values())).as("a thread per robot").hasSize(threadByRobot.size());
    }
}
