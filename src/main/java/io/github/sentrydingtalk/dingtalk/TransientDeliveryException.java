package io.github.sentrydingtalk.dingtalk;

/** Worth another attempt: rate limiting, DingTalk's own errors, 5xx. */
public class TransientDeliveryException extends DeliveryException {
    public TransientDeliveryException(String reason, int httpStatus, Integer errcode, String errmsg) {
        super(reason, httpStatus, errcode, errmsg);
    }
}
