package io.github.sentrydingtalk.robots;

/** Asked who is on call for a robot that has no rotation. */
public class NoOnCallException extends RuntimeException {

    public NoOnCallException(String robot) {
        super("robot '" + robot + "' has no on-call rotation (dingtalk.robots[N].on-call.mobiles or user-ids, shift, start)");
    }
}
