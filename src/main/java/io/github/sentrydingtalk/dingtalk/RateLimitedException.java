package io.github.sentrydingtalk.dingtalk;

/** DingTalk says the robot sends too fast (130101, 410100): pause the robot, keep its messages. */
public class RateLimitedException extends TransientDeliveryException {
    public RateLimitedException(String reason, int httpStatus, Integer errcode, String errmsg) {
        super(reason, httpStatus, errcode, errmsg);
    }
}
