package io.github.sentrydingtalk.dingtalk;

/** Will fail the same way until the user changes something: token, secret, keyword, robot. */
public class PermanentDeliveryException extends DeliveryException {
    public PermanentDeliveryException(String reason, int httpStatus, Integer errcode, String errmsg) {
        super(reason, httpStatus, errcode, errmsg);
    }
}
