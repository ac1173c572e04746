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
}
