package io.github.sentrydingtalk.cluster;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.sentrydingtalk.queue.Durations;
import io.github.sentrydingtalk.queue.ExpiringFileIdempotentRepository;
import io.github.sentrydingtalk.queue.Settings;
import io.github.sentrydingtalk.robots.Robot;
import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import io.github.sentrydingtalk.delivery.DeadLetters;
import io.github.sentrydingtalk.delivery.FileDeadLetters;
import io.github.sentrydingtalk.silences.FileSilenceStore;
import io.github.sentrydingtalk.silences.SilenceStore;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The service's Kafka when {@code notify.kafka.bootstrap-servers} is set (clustered mode); with it empty
 * this bean does nothing and no Kafka client exists. At startup it creates the topics that are missing
 * (one partition each, replication factor min(3, brokers)): {@code <prefix>.robot.<robot>} per robot,
 * kept {@value #ROBOT_RETENTION_DAYS} days, and {@code <prefix>.seen-deliveries}, kept as long as a
 * delivery is remembered ({@code notify.idempotency.ttl}). It registers the {@code kafka} health check,
 * and gives the routes a robot's topic and an alert's record timestamp.
 */
public class ClusterKafka implements CamelContextAware {

    static final int ROBOT_RETENTION_DAYS = 7;
    /**
     * Within Sentry's 1 second: waiting for metadata or buffer room (max.block.ms), one request
     * (request.timeout.ms), and a record from send to acknowledgement, retries included
     * (delivery.timeout.ms, at least linger + request timeout). routes/delivery.camel.yaml uses the same.
     */
    static final int MAX_BLOCK_MS = 400;
    static final int REQUEST_TIMEOUT_MS = 400;
    static final int DELIVERY_TIMEOUT_MS = 600;

    private CamelContext camelContext;
    private String bootstrapServers = "";
    private String topicPrefix = "sentry-dingtalk";
    private RobotRegistry robotRegistry;
    private Duration seenDeliveriesTtl = Duration.ofHours(24);
    private Admin admin;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
    }

    public void setTopicPrefix(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    public void setRobotRegistry(RobotRegistry robotRegistry) {
        this.robotRegistry = robotRegistry;
    }

    public void setSeenDeliveriesTtl(String ttl) {
        this.seenDeliveriesTtl = Durations.parsePositive("notify.idempotency.ttl", ttl);
    }

    public boolean isClustered() {
        return !bootstrapServers.isEmpty();
    }

    /** Creates the missing topics and registers the health check; nothing in on-disk mode. */
    public void start() throws Exception {
        if (!isClustered()) {
            return;
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
        createMissingTopics();
        // the health check keeps asking with this client; Camel closes it when it stops
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                admin.close(Duration.ofSeconds(1));
            }
        }, true);
        HealthCheckHelper.getHealthCheckRegistry(camelContext).register(new KafkaHealthCheck());
    }

    private void createMissingTopics() throws Exception {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : topics(robotRegistry.robots(), Math.min(3, brokers))) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e; // another replica starting at the same time created it: fine
            }
        }
    }

    /** Every topic the service uses, as it creates them. */
    List<NewTopic> topics(List<Robot> robots, int replicationFactor) {
        List<NewTopic> topics = new ArrayList<>();
        for (Robot robot : robots) {
            topics.add(topic(robotTopic(robot), replicationFactor, Duration.ofDays(ROBOT_RETENTION_DAYS)));
        }
        topics.add(topic(KafkaTopics.seenDeliveriesTopic(topicPrefix), replicationFactor, seenDeliveriesTtl));
        // ad-hoc silences and dead letters: kept until deleted or replayed (compaction keeps each key's last
        // record; a delete is a tombstone)
        for (String compacted : List.of(KafkaTopics.silencesTopic(topicPrefix), KafkaTopics.deadLettersTopic(topicPrefix))) {
            topics.add(new NewTopic(compacted, 1, (short) replicationFactor).configs(Map.of(
                    "cleanup.policy", "compact", "min.insync.replicas", String.valueOf(Math.max(1, replicationFactor - 1)))));
        }
        return topics;
    }

    /**
     * Where dead letters are kept: files under the data directory (one process), or the compacted topic
     * {@code <prefix>.dead-letters} shared by every replica. Called from routes/beans.camel.yaml.
     */
    public static DeadLetters deadLetters(String bootstrapServers, String topicPrefix, String directory) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            FileDeadLetters onDisk = new FileDeadLetters();
            onDisk.setDirectory(directory);
            return onDisk;
        }
        String servers = bootstrapServers.trim();
        return new KafkaDeadLetters(compactedProducer(servers), compactedConsumer(servers), KafkaTopics.deadLettersTopic(topicPrefix));
    }

    private static KafkaProducer<String, byte[]> compactedProducer(String servers) {
        return new KafkaProducer<>(producerConfig(servers), new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads a compacted topic whole, no group, no commits (CompactedTopic). */
    private static KafkaConsumer<String, byte[]> compactedConsumer(String servers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Where ad-hoc silences are kept: files under the data directory (one process), or the compacted
     * topic {@code <prefix>.silences} shared by every replica. Called from routes/beans.camel.yaml.
     */
    public static SilenceStore silenceStore(String bootstrapServers, String topicPrefix, String directory) throws IOException {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            FileSilenceStore onDisk = new FileSilenceStore();
            onDisk.setDirectory(directory);
            return onDisk;
        }
        String servers = bootstrapServers.trim();
        return new KafkaSilenceStore(compactedProducer(servers), compactedConsumer(servers), KafkaTopics.silencesTopic(topicPrefix));
    }

    private static NewTopic topic(String name, int replicationFactor, Duration retention) {
        Map<String, String> config = new HashMap<>();
        config.put("retention.ms", String.valueOf(retention.toMillis()));
        config.put("cleanup.policy", "delete");
        // acks=all then means: on at least two brokers before the 202 (when there are three)
        config.put("min.insync.replicas", String.valueOf(Math.max(1, replicationFactor - 1)));
        return new NewTopic(name, 1, (short) replicationFactor).configs(config);
    }

    public String robotTopic(Robot robot) {
        return KafkaTopics.robotTopic(topicPrefix, robot.directory());
    }

    /** The record timestamp of an alert: when it was accepted (its acceptedAt), else now. */
    public static long acceptedMillis(String acceptedAt) {
        try {
            return Instant.parse(acceptedAt).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }

    /**
     * The webhook's seen deliveries: on disk (one process), or in Kafka, shared by every replica.
     * Called from routes/beans.camel.yaml (factoryMethod).
     */
    public static IdempotentRepository seenDeliveries(String bootstrapServers, String topicPrefix, String file,
            String ttl, int maxEntries) {
        Duration expiry = Durations.parsePositive("notify.idempotency.ttl", ttl);
        int bound = Settings.atLeast("notify.idempotency.max-entries", maxEntries, 1);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            ExpiringFileIdempotentRepository onDisk = new ExpiringFileIdempotentRepository();
            onDisk.setFile(file);
            onDisk.setTtl(ttl);
            onDisk.setMaxEntries(maxEntries);
            return onDisk;
        }
        String servers = bootstrapServers.trim();
        return new KafkaSeenDeliveries(new KafkaSeenDeliveries.KafkaClients() {
            @Override
            public org.apache.kafka.clients.producer.Producer<String, String> producer() {
                return new KafkaProducer<>(producerConfig(servers), new StringSerializer(), new StringSerializer());
            }

            @Override
            public org.apache.kafka.clients.consumer.Consumer<String, String> consumer() {
                return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        // a topic made anew (Kafka's data lost) is read from its start
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new StringDeserializer());
            }
        }, KafkaTopics.seenDeliveriesTopic(topicPrefix), expiry, bound, Duration.ofMillis(DELIVERY_TIMEOUT_MS));
    }

    /** acks=all, idempotent, and every wait bounded below Sentry's 1 second. */
    static Map<String, Object> producerConfig(String servers) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
    }

    /** Why Kafka refused an alert, for a JSON answer: Kafka's own words, no quotes or control characters. */
    public static String unavailableReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KafkaException && t.getMessage() != null) {
                return t.getMessage().replaceAll("[\"\\\\\\p{Cntrl}]", " ").trim();
            }
        }
        Throwable root = failure;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root == null ? "unknown" : root.getClass().getSimpleName();
    }

    /** UP while a Kafka broker answers within two seconds. */
    final class KafkaHealthCheck extends AbstractHealthCheck {

        KafkaHealthCheck() {
            super("sentry-dingtalk", "kafka");
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                int brokers = admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().timeoutMs(2000))
                        .nodes().get(2, TimeUnit.SECONDS).size();
                builder.detail("brokers", brokers).up();
            } catch (Exception e) {
                builder.message("Kafka does not answer: " + unavailableReason(e)).down();
            }
        }
    }
}
