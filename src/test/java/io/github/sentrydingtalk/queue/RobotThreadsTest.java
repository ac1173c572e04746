package io.github.sentrydingtalk.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RobotThreadsTest {

    @TempDir
    Path dir;

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final CountDownLatch slowRobotHeld = new CountDownLatch(1);
    private final CountDownLatch letSlowRobotGo = new CountDownLatch(1);
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private OutboxPlanner planner;
    private RobotThreads threads;

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.put("dingtalk.robots[0].name", "slow");
        props.put("dingtalk.robots[0].access-token", "slow-token");
        props.put("dingtalk.robots[1].name", "failing");
        props.put("dingtalk.robots[1].access-token", "failing-token");
        props.put("dingtalk.robots[2].name", "prompt");
        props.put("dingtalk.robots[2].access-token", "prompt-token");
        context.getPropertiesComponent().setInitialProperties(props);
        RobotRegistry registry = new RobotRegistry();
        registry.setCamelContext(context);
        planner = new OutboxPlanner();
        Outbox outbox = new Outbox();
        outbox.setDirectory(dir.toString());
        planner.setOutbox(outbox);
        planner.setRobotRegistry(registry);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:robot-deliveries").process(e -> {
                    @SuppressWarnings("unchecked")
                    Delivery first = ((List<Delivery>) e.getMessage().getBody(List.class)).get(0);
                    switch (first.getRobot().name()) {
                        case "slow" -> {
                            slowRobotHeld.countDown();
                            letSlowRobotGo.await();
                        }
                        case "failing" -> throw new OutOfMemoryError("a 400 MB answer");
                        default -> ((List<Delivery>) e.getMessage().getBody(List.class))
                                .forEach(d -> delivered.add(d.getAlert().title()));
                    }
                });
            }
        });
        context.getShutdownStrategy().setTimeout(1); // the exchange an Error cut short is never done
        context.start();
        threads = new RobotThreads();
        threads.setCamelContext(context);
        threads.setOutboxPlanner(planner);
        threads.setRobotRegistry(registry);
        threads.setDeliveries("direct:robot-deliveries");
        for (String robot : List.of("slow", "failing", "prompt")) {
            Path folder = Files.createDirectories(dir.resolve(robot));
            Files.writeString(folder.resolve("0000000000001-a.json"), "{\"id\":\"1\",\"title\":\"" + robot + " 1\"}");
        }
    }

    @AfterEach
    void stop() {
        letSlowRobotGo.countDown();
        context.stop();
    }

    private void handOver() throws Exception {
        for (List<Delivery> batch : planner.plan()) {
            DefaultExchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(batch);
            threads.process(exchange);
        }
    }

    @Test
    void aSlowRobotHoldsOnlyItsOwnThreadAndAnErrorReleasesItsRobot() throws Exception {
        handOver();
        assertThat(slowRobotHeld.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("prompt 1"));

        // The failing robot, whose thread hit an OutOfMemoryError, is released: planned again (its
        // alert stayed in the outbox). The slow one is still in flight, so it is not.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<List<Delivery>> plan = planner.plan();
            planner.releaseAll(plan.stream().flatMap(List::stream).toList());
            List<String> robots = plan.stream().map(b -> b.get(0).getRobot().name()).toList();
            return robots.contains("failing") && robots.contains("prompt") && !robots.contains("slow");
        });

        // The prompt robot's next alert goes out while the slow one still waits.
        Files.writeString(dir.resolve("prompt/0000000000002-b.json"), "{\"id\":\"2\",\"title\":\"prompt 2\"}");
        handOver();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("prompt 2"));
        assertThat(letSlowRobotGo.getCount()).as("the slow robot still holds its thread").isEqualTo(1);
    }
}
