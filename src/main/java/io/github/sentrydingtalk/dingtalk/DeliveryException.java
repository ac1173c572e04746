package io.github.sentrydingtalk.dingtalk;

/**
 * DingTalk did not take the message. {@link #getMessage()} is written for the user ("signature
 * rejected: check the robot's secret and this server's clock") and never holds a token or secret.
 */
public abstract class DeliveryException extends RuntimeException {

    private final Integer errcode;
    private final String errmsg;
    private final int httpStatus;

    protected DeliveryException(String reason, int httpStatus, Integer errcode, String errmsg) {
        super(reason, null, false, false);
        this.httpStatus = httpStatus;
        this.errcode = errcode;
        this.errmsg = errmsg;
    }

    /** Why a delivery failed, in words a user can act on; never holds a token or secret. */
    public static String describe(Throwable failure) {
        if (failure instanceof DeliveryException) {
            return failure.getMessage();
        }
        if (failure instanceof java.io.IOException) {
            return "DingTalk unreachable (" + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                    + "): check the network, proxy and dingtalk.base-url";
        }
        return failure == null ? "unknown failure"
                : "could not build the message (" + failure.getClass().getSimpleName() + "): check the templates";
    }

    public Integer getErrcode() {
        return errcode;
    }

    public String getErrmsg() {
        return errmsg;
    }

    public int getHttpStatus() {
        return httpStatus;
    }

    /** Worth another attempt: rate limiting, DingTalk's own errors, 5xx. */
    public static class Transient extends DeliveryException {
        public Transient(String reason, int httpStatus, Integer errcode, String errmsg) {
            super(reason, httpStatus, errcode, errmsg);
        }
    }

    /** DingTalk says the robot sends too fast (130101, 410100): pause the robot, keep its messages. */
    public static class RateLimited extends Transient {
        public RateLimited(String reason, int httpStatus, Integer errcode, String errmsg) {
            super(reason, httpStatus, errcode, errmsg);
        }
    }

    /** Will fail the same way until the user changes something: token, secret, keyword, robot. */
    public static class Permanent extends DeliveryException {
        public Permanent(String reason, int httpStatus, Integer errcode, String errmsg) {
            super(reason, httpStatus, errcode, errmsg);
        }
    }
}
