package io.github.sentrydingtalk.delivery;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sentrydingtalk.dingtalk.DeliveryException;
import io.github.sentrydingtalk.robots.Robot;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/**
 * Turns a delivery that finally failed into the dead-letter record (the message body, a map ready
 * for JSON) and a reason a user can act on (variable {@code deadLetterReason}). The robot appears by
 * name only: the record holds neither access token nor secret.
 */
public class DeadLetterRecord implements Processor {

    private DeadLetters deadLetters;

    /** Where letters go: the dead-letter folder, or Kafka in clustered mode. */
    public void setDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void process(Exchange exchange) {
        Robot robot = exchange.getVariable("robot", Robot.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Instant now = Instant.now();

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("robot", robot.name());
        record.put("reason", DeliveryException.describe(failure));
        if (failure instanceof DeliveryException d) {
            record.put("httpStatus", d.getHttpStatus());
            record.put("errcode", d.getErrcode());
            record.put("errmsg", d.getErrmsg());
        } else if (failure != null) {
            record.put("exception", failure.getClass().getName() + ": " + failure.getMessage());
        }
        record.put("attempts", exchange.getVariable("attempts", 0, Integer.class));
        record.put("failedAt", now.toString());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("title", exchange.getVariable("dingtalkTitle"));
        message.put("text", exchange.getVariable("dingtalkText"));
        record.put("message", message);
        record.put("dingtalkBody", exchange.getVariable("dingtalkBody"));
        record.put("alert", exchange.getVariable("alert"));

        exchange.setVariable("deadLetterFile", now.toEpochMilli() + "-" + safeName(robot.name()) + "-"
                + exchange.getExchangeId() + ".json");
        exchange.getMessage().setBody(record);
    }

    /** Writes the record (the body, as JSON) durably as {@code deadLetterFile}, before the alert leaves the outbox. */
    public void save(Exchange exchange) throws IOException, InvalidPayloadException {
        deadLetters.save(exchange.getVariable("deadLetterFile", String.class), exchange.getMessage().getMandatoryBody(byte[].class));
    }

    /** Why the delivery in this exchange failed, in words a user can act on. */
    public String reasonFor(Exchange exchange) {
        return DeliveryException.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    private static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
