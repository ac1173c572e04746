package io.github.sentrydingtalk.dingtalk;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads DingTalk's answer. DingTalk reports most failures as HTTP 200 with a non-zero
 * {@code errcode}, so the HTTP status alone says little: an errcode in the body decides, whatever the
 * status; only an answer without one is judged by its status (429 rate limited, 5xx retried, other
 * non-2xx permanent). Success leaves the answer in the variable
 * {@code dingtalkResponse}; failure throws {@link TransientDeliveryException} (retried) or
 * {@link PermanentDeliveryException} (dead-lettered at once).
 */
public class DingTalkResponseClassifier implements Processor {

    /** Rate limiting: 20 messages a minute per robot, then a 10-minute ban. */
    static final Set<Integer> RATE_LIMIT_ERRCODES = Set.of(130101, 410100);

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public void process(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        exchange.setVariable("errcode", "http-" + status); // for the answers metric, refined below
        JsonNode answer = parse(exchange.getMessage().getBody(String.class));
        JsonNode errcodeNode = answer == null ? null : answer.get("errcode");
        if (errcodeNode != null && errcodeNode.canConvertToInt()) {
            // DingTalk's own word wins over the status: 429 + 130101 is a rate limit, 5xx + errcode 0 delivered
            classifyErrcode(exchange, status, errcodeNode.asInt(), truncate(answer.path("errmsg").asText("")));
            return;
        }
        if (status == 429) {
            throw new RateLimitedException("DingTalk answered HTTP 429 (too many requests): " + explain(130101),
                    status, null, null);
        }
        if (status >= 500) {
            throw new TransientDeliveryException("DingTalk answered HTTP " + status + " (server error)", status, null, null);
        }
        if (status >= 300 || status < 200) {
            throw new PermanentDeliveryException("DingTalk answered HTTP " + status
                    + ": check dingtalk.base-url", status, null, null);
        }
        throw new TransientDeliveryException("DingTalk answered HTTP " + status
                + " without an errcode", status, null, null);
    }

    private static void classifyErrcode(Exchange exchange, int status, int errcode, String errmsg) {
        exchange.setVariable("errcode", String.valueOf(errcode));
        if (errcode == 0) {
            exchange.setVariable("dingtalkResponse", "errcode 0 (" + errmsg + ")");
            return;
        }
        String reason = "errcode " + errcode + " (" + errmsg + "): " + explain(errcode);
        if (RATE_LIMIT_ERRCODES.contains(errcode)) {
            throw new RateLimitedException(reason, status, errcode, errmsg);
        }
        if (errcode == -1) { // DingTalk's own "system busy"
            throw new TransientDeliveryException(reason, status, errcode, errmsg);
        }
        throw new PermanentDeliveryException(reason, status, errcode, errmsg);
    }

    /** The answer to a test message to this robot, for the admin endpoint: DingTalk's errcode and what it means. */
    public Map<String, Object> testResult(String robotName, Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("robot", robotName);
        result.put("delivered", failure == null);
        if (failure instanceof DeliveryException d) {
            result.put("httpStatus", d.getHttpStatus());
            result.put("errcode", d.getErrcode());
            result.put("errmsg", d.getErrmsg());
            result.put("explanation", d.getErrcode() == null ? d.getMessage() : explain(d.getErrcode()));
        } else if (failure != null) {
            result.put("explanation", DeliveryException.describe(failure));
        } else {
            result.put("errcode", 0);
            result.put("explanation", explain(0));
        }
        return result;
    }

    /** What the user should do about a DingTalk errcode. */
    public static String explain(int errcode) {
        return switch (errcode) {
            case 0 -> "delivered";
            case 310000 -> "signature, keyword or IP rejected: check the robot's secret, this server's clock"
                    + " and that the robot's keyword is configured";
            case 300001, 300005, 400101 -> "access token rejected: check the robot's access-token";
            case 400102 -> "robot is disabled: enable it in the DingTalk group settings";
            case 400106 -> "robot is not in the group: add it again and update the access-token";
            case 400013 -> "the group no longer exists: remove or replace this robot";
            case 130101, 410100 -> "rate limited: DingTalk allows 20 messages a minute per robot";
            case 460101 -> "message too large: DingTalk accepts at most 20,000 bytes";
            case -1 -> "DingTalk is busy";
            default -> errcode / 1000 == 430 ? "content rejected as unsafe by DingTalk"
                    : "unexpected errcode: see DingTalk's robot documentation";
        };
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
