package io.github.sentrydingtalk.robots;

/** Asked for a robot that is not configured. */
public class UnknownRobotException extends RuntimeException {
    public UnknownRobotException(String reason) {
        super(reason, null, false, false);
    }
}
