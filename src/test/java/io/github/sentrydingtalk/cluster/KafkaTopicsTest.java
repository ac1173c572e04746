package io.github.sentrydingtalk.cluster;

import io.github.sentrydingtalk.robots.Robot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaTopicsTest {

    @Test
    void aPlainRobotNameIsItsFolderName() {
        assertThat(KafkaTopics.robotTopic("sentry-dingtalk", Robot.folderName("ops"))).isEqualTo("sentry-dingtalk.robot.ops");
        assertThat(KafkaTopics.robotTopic("p", Robot.folderName("db team/2"))).isEqualTo("p.robot.db_20team_2F2");
    }

    @Test
    void otherCharactersBecomeTheirUtf8Bytes() {
        // 告警: letters to a folder, not to Kafka ([A-Za-z0-9._-] only)
        assertThat(KafkaTopics.robotTopic("p", Robot.folderName("告警"))).isEqualTo("p.robot._E5_91_8A_E8_AD_A6")
                .matches("[A-Za-z0-9._-]+");
    }

    @Test
    void seenDeliveries() {
        assertThat(KafkaTopics.seenDeliveriesTopic("sentry-dingtalk")).isEqualTo("sentry-dingtalk.seen-deliveries");
    }
}
