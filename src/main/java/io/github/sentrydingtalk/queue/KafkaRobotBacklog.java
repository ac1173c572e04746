package io.github.sentrydingtalk.queue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sentrydingtalk.cluster.KafkaTopics;
import io.github.sentrydingtalk.robots.Robot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.micrometer.MicrometerComponent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robots' backlogs in clustered mode ({@code notify.kafka.bootstrap-servers} set): each robot's topic
 * {@code <prefix>.robot.<robot folder>}, one partition, read by its route (robot-delivery-kafka.camel.yaml)
 * through a consumer of its own in the group of the same name ({@link RobotTopic}). Also the
 * {@link RateLimits.AttemptLog} that persists each robot's attempts for the replica that takes it over,
 * and the gauges of who owns which robot and how many alerts wait.
 */
public class KafkaRobotBacklog implements CamelContextAware, RateLimits.AttemptLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRobotBacklog.class);

    private final Map<String, RobotTopic> topics = new ConcurrentHashMap<>();
    /** The thread of each robot's route: only it may use the robot's consumer. */
    private final Map<String, Thread> routeThreads = new ConcurrentHashMap<>();
    private String bootstrapServers = "";
    private String topicPrefix = "sentry-dingtalk";
    private String replicaName = "";
    private Duration maxPollInterval = Duration.ofMinutes(15);
    private Duration sessionTimeout = Duration.ofSeconds(45);
    private int digestMaxBytes = DigestFolding.MAX_BYTES;
    private RateLimits rateLimits;
    private CamelContext camelContext;

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
    }

    public void setTopicPrefix(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    /** Empty: the host name. */
    public void setReplicaName(String replicaName) {
        this.replicaName = replicaName;
    }

    public void setMaxPollInterval(String maxPollInterval) {
        this.maxPollInterval = Durations.parsePositive("notify.kafka.max-poll-interval", maxPollInterval);
    }

    public void setSessionTimeout(String sessionTimeout) {
        this.sessionTimeout = Durations.parsePositive("notify.kafka.session-timeout", sessionTimeout);
    }

    public void setRateLimits(RateLimits rateLimits) {
        this.rateLimits = rateLimits;
    }

    public void setDigestMaxBytes(int digestMaxBytes) {
        this.digestMaxBytes = digestMaxBytes;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public boolean isClustered() {
        return !bootstrapServers.isEmpty();
    }

    /** The bean's init method: in clustered mode every attempt is persisted for the robot's next owner. */
    public void start() {
        if (isClustered()) {
            rateLimits.setAttemptLog(this);
        }
    }

    /** The bean's destroy method: leaves the robots' groups, so another replica takes them over at once. */
    public void close() {
        topics.values().forEach(topic -> {
            try {
                topic.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a robot's consumer: {}", e.getMessage());
            }
        });
        topics.clear();
    }

    /** The robot's topic: {@code <prefix>.robot.<robot folder>} (KafkaTopics), also its group's name. */
    public String topic(Robot robot) {
        return KafkaTopics.robotTopic(topicPrefix, robot.directory());
    }

    /** Every poll of the robot's route, paused or not: see {@link RobotTopic#fetch}. */
    public void fetch(Robot robot) {
        routeThreads.put(robot.name(), Thread.currentThread());
        topicOf(robot).fetch();
    }

    public Delivery nextMessage(Robot robot, int room) {
        return topicOf(robot).nextMessage(room);
    }

    /** Delivered or dead-lettered: commit its records. */
    public void commit(Delivery delivery) {
        topicOf(delivery.getRobot()).commit(delivery);
    }

    @Override
    public void attempted(Robot robot, List<Long> attemptsInWindow) {
        RobotTopic topic = topics.get(robot.name());
        if (topic != null && Thread.currentThread() == routeThreads.get(robot.name())) {
            topic.logAttempts();
        }
    }

    private RobotTopic topicOf(Robot robot) {
        return topics.computeIfAbsent(robot.name(), name -> {
            RobotTopic topic = new RobotTopic(robot, topic(robot), new KafkaConsumer<>(consumerProperties(robot)),
                    rateLimits, digestMaxBytes);
            registerGauges(robot, topic);
            return topic;
        });
    }

    Properties consumerProperties(Robot robot) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // its own group per robot: one owner per robot, and a robot's rebalance never stops another robot
        p.put(ConsumerConfig.GROUP_ID_CONFIG, topic(robot));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, replica() + "." + robot.directory());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, sessionTimeout.toMillis() / 3));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, RobotTopic.BUFFER);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    String replica() {
        if (replicaName != null && !replicaName.isBlank()) {
            return replicaName;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private void registerGauges(Robot robot, RobotTopic topic) {
        if (camelContext == null) {
            return;
        }
        MeterRegistry registry = camelContext.getComponent("micrometer", MicrometerComponent.class).getMetricsRegistry();
        Gauge.builder("sentry_dingtalk_robot_owned", () -> topic.isOwned() ? 1 : 0)
                .description("1 on the replica that delivers the robot's messages now, 0 on the others")
                .tag("robot", robot.name()).tag("replica", replica()).register(registry);
        Gauge.builder("sentry_dingtalk_robot_backlog", topic::waiting)
                .description("Alerts waiting in the robot's topic (consumer lag), on the replica that owns it; 0 on the others")
                .tag("robot", robot.name()).register(registry);
    }
}
