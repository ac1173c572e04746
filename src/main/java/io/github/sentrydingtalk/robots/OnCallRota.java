package io.github.sentrydingtalk.robots;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is on call now, for the message builder (whom to @mention besides the robot's fixed mentions) and
 * for {@code GET /admin/robots/{name}/on-call}. The clock is a property so tests can set the time.
 */
public class OnCallRota {

    private Clock clock = Clock.systemUTC();

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    /** The on-duty mobile, as a list to add to the mentions (empty: no rotation, or it names user ids). */
    public List<String> mobileOnDuty(Robot robot) {
        OnCall onCall = robot.onCall();
        return onCall == null || onCall.userIds() ? List.of() : List.of(onCall.dutyAt(clock.instant()).person());
    }

    /** The on-duty DingTalk user id, as a list (empty: no rotation, or it names mobiles). */
    public List<String> userIdOnDuty(Robot robot) {
        OnCall onCall = robot.onCall();
        return onCall == null || !onCall.userIds() ? List.of() : List.of(onCall.dutyAt(clock.instant()).person());
    }

    /** {"robot", "now": {mobile|userId, from, until}, "next": {...}}, times in the rotation's zone. */
    public Map<String, Object> status(Robot robot) {
        OnCall onCall = robot.onCall();
        if (onCall == null) {
            throw new NoOnCallException(robot.name());
        }
        OnCall.Duty now = onCall.dutyAt(clock.instant());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("robot", robot.name());
        status.put("now", describe(onCall, now));
        status.put("next", describe(onCall, onCall.next(now)));
        return status;
    }

    private static Map<String, String> describe(OnCall onCall, OnCall.Duty duty) {
        Map<String, String> person = new LinkedHashMap<>();
        person.put(onCall.userIds() ? "userId" : "mobile", duty.person());
        person.put("from", duty.from().atZone(onCall.start().getZone()).toOffsetDateTime().toString());
        person.put("until", duty.until().atZone(onCall.start().getZone()).toOffsetDateTime().toString());
        return person;
    }
}
