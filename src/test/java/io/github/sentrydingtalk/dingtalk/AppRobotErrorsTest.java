package io.github.sentrydingtalk.dingtalk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** DingTalk's string codes, family by family, as the webhook's errcodes are classified. */
class AppRobotErrorsTest {

    @Test
    void aSuccessIsNoFailure() {
        assertThat(AppRobotErrors.failure(200, null, null)).isNull();
    }

    @Test
    void aRejectedTokenIsRecognisedForOneRefreshThenPermanent() {
        assertThat(AppRobotErrors.isTokenRejected(401, null)).isTrue();
        assertThat(AppRobotErrors.isTokenRejected(400, "InvalidAuthentication")).isTrue();
        assertThat(AppRobotErrors.isTokenRejected(403, "Forbidden.AccessDenied.AccessTokenPermissionDenied")).isFalse();
        assertThat(AppRobotErrors.failure(401, "InvalidAuthentication", "不合法的access_token"))
                .isExactlyInstanceOf(PermanentDeliveryException.class)
                .hasMessage("access token rejected, InvalidAuthentication (HTTP 401): 不合法的access_token:"
                        + " check the app robot's app-key and app-secret");
    }

    @Test
    void throttlingPausesTheRobot() {
        assertThat(AppRobotErrors.failure(429, null, null)).isInstanceOf(RateLimitedException.class);
        assertThat(AppRobotErrors.failure(400, "Throttling.User", "slow down")).isInstanceOf(RateLimitedException.class);
        assertThat(AppRobotErrors.failure(403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "qps"))
                .isInstanceOf(RateLimitedException.class);
        assertThat(AppRobotErrors.failure(400, "send.too.fast", "发送过快"))
                .isInstanceOf(RateLimitedException.class)
                .hasMessage("rate limited, send.too.fast (HTTP 400): 发送过快: DingTalk limits how fast an app robot sends");
    }

    @Test
    void serverErrorsAreRetried() {
        assertThat(AppRobotErrors.failure(502, null, null)).isExactlyInstanceOf(TransientDeliveryException.class)
                .hasMessage("DingTalk is unavailable, HTTP 502");
        assertThat(AppRobotErrors.failure(200, "ServiceUnavailable", "busy")).isExactlyInstanceOf(TransientDeliveryException.class);
        assertThat(AppRobotErrors.failure(500, "systemError", "系统错误")).isExactlyInstanceOf(TransientDeliveryException.class);
    }

    @Test
    void aStoppedOrUnknownRobotIsPermanent() {
        assertThat(AppRobotErrors.failure(400, "bot.stopped", "机器人已停用"))
                .isExactlyInstanceOf(PermanentDeliveryException.class)
                .hasMessage("robot stopped or not found, bot.stopped (HTTP 400): 机器人已停用: check robot-code and that the"
                        + " robot is published and enabled in the DingTalk developer console");
        assertThat(AppRobotErrors.failure(400, "invalidParameter.robotCode.notExist", "robot not found"))
                .hasMessageStartingWith("robot stopped or not found");
    }

    @Test
    void aMissingPermissionIsPermanentAndNamesIt() {
        assertThat(AppRobotErrors.failure(403, "Forbidden.AccessDenied.AccessTokenPermissionDenied", "没有调用该接口的权限"))
                .isExactlyInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("qyapi_robot_sendmsg");
    }

    @Test
    void aWrongParameterIsPermanentAndNamesTheSetting() {
        assertThat(AppRobotErrors.failure(400, "invalidParameter.openConversationId.invalid", "群不存在"))
                .isExactlyInstanceOf(PermanentDeliveryException.class)
                .hasMessageEndingWith("check open-conversation-id and that the robot was added to the group");
        assertThat(AppRobotErrors.failure(400, "invalidParameter.userIds.empty", "x"))
                .hasMessageContaining("check user-ids");
        assertThat(AppRobotErrors.failure(400, "invalidParameter.msgParam.tooLong", "x"))
                .hasMessageContaining("msgParam at most 15,000 bytes");
        assertThat(AppRobotErrors.failure(404, null, null)).isExactlyInstanceOf(PermanentDeliveryException.class)
                .hasMessage("DingTalk refused the message, HTTP 404: see DingTalk's robot API documentation");
    }
}
