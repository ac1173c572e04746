package io.github.sentrydingtalk.dingtalk;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppRobotTest {

    @Test
    void aGroupOrOneToOneAndWhatIsMissing() {
        AppRobot group = new AppRobot("k", "s3cret", "r", "cid", List.of());
        assertThat(group.problem()).isNull();
        assertThat(group.sendPath()).isEqualTo("groupMessages/send");
        AppRobot people = new AppRobot("k", "s3cret", "r", " ", List.of("u1", "u2"));
        assertThat(people.sendPath()).isEqualTo("oToMessages/batchSend");
        assertThat(people.commaUserIds()).isEqualTo("u1,u2");
        assertThat(new AppRobot(null, "s", "r", "cid", null).problem()).startsWith("appKey is missing");
        assertThat(new AppRobot("k", "", "r", "cid", null).problem()).startsWith("appSecret is missing");
        assertThat(new AppRobot("k", "s", null, "cid", null).problem()).startsWith("robotCode is missing");
        assertThat(new AppRobot("k", "s", "r", null, null).problem()).isEqualTo(
                "set exactly one of openConversationId (a group) and userIds (one-to-one)");
        assertThat(group + " " + people).isEqualTo("AppRobot[group] AppRobot[one-to-one, 2 user(s)]").doesNotContain("s3cret");
    }
}
