package io.github.sentrydingtalk.robots;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A robot's on-call rotation: the people take turns, one {@code shift} each, from {@code start} on (before
 * it, counted backwards the same way). Each is a mobile or a DingTalk user id, the way the robot's
 * configuration named them.
 *
 * @param people  mobiles, or user ids when {@code userIds}
 * @param userIds whether {@code people} are DingTalk user ids rather than mobiles
 */
public record OnCall(List<String> people, boolean userIds, Duration shift, ZonedDateTime start) {

    /** One person's turn: from (inclusive) until (exclusive). */
    public record Duty(String person, Instant from, Instant until) {
    }

    public OnCall {
        people = List.copyOf(people);
        if (people.isEmpty() || shift.isZero() || shift.isNegative()) {
            throw new IllegalArgumentException("an on-call rotation needs people and a positive shift");
        }
    }

    /** Who is on duty at {@code now}. */
    public Duty dutyAt(Instant now) {
        long shiftMillis = shift.toMillis();
        long turn = Math.floorDiv(now.toEpochMilli() - start.toInstant().toEpochMilli(), shiftMillis);
        Instant from = start.toInstant().plusMillis(turn * shiftMillis);
        return new Duty(people.get((int) Math.floorMod(turn, people.size())), from, from.plus(shift));
    }

    /** Who comes after {@code duty}. */
    public Duty next(Duty duty) {
        return dutyAt(duty.until());
    }
}
