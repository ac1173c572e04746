package io.github.sentrydingtalk.dingtalk;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.common.CommaList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The dingtalk-sink Kamelet's app-robot mode: {@link #prepare} turns the finished message
 * ({@link AppRobotMessage}) into the request for {@code /v1.0/robot/groupMessages/send} or
 * {@code /v1.0/robot/oToMessages/batchSend}; {@link #authorize} puts the app's access token
 * ({@link AppAccessTokens}, fetched from {@code /v1.0/oauth2/accessToken} when needed) in the header
 * {@code x-acs-dingtalk-access-token}; {@link #classify} reads the answer ({@link AppRobotErrors}), and on
 * a rejected token asks for one more send with a new token (variable {@code sendAgain}), once per attempt.
 * Exchange variables: {@code attempts} (counted here), {@code appRobotRequest}, {@code appRobotPath},
 * {@code sendAgain}, {@code tokenRefreshed}, {@code appTokenGeneration}, {@code errcode}, {@code dingtalkResponse}.
 * The token never goes into a variable, a reason or a URI.
 */
public class AppRobotSender {

    public static final String TOKEN_HEADER = "x-acs-dingtalk-access-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AppAccessTokens tokens;
    private String appKey;
    private String appSecret;
    private String robotCode;
    private String openConversationId;
    private List<String> userIds = List.of();
    private String apiBaseUrl = "https://api.dingtalk.com";
    private int connectTimeout = 3000;
    private int responseTimeout = 5000;
    private volatile ProducerTemplate producer;

    public AppRobotSender() {
        this(AppAccessTokens.SHARED);
    }

    AppRobotSender(AppAccessTokens tokens) {
        this.tokens = tokens;
    }

    public void setAppKey(String appKey) {
        this.appKey = appKey;
    }

    public void setAppSecret(String appSecret) {
        this.appSecret = appSecret;
    }

    public void setRobotCode(String robotCode) {
        this.robotCode = robotCode;
    }

    public void setOpenConversationId(String openConversationId) {
        this.openConversationId = openConversationId;
    }

    /** Comma list of DingTalk user ids, for one-to-one messages. */
    public void setUserIds(String userIds) {
        this.userIds = CommaList.parse(userIds);
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setResponseTimeout(int responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    private AppRobot robot() {
        return new AppRobot(appKey, appSecret, robotCode, openConversationId, userIds);
    }

    /** Body: an {@link AppRobotMessage}. Writes the request JSON and its path; starts an attempt. */
    public void prepare(Exchange exchange) {
        exchange.setVariable("attempts", exchange.getVariable("attempts", 0, Integer.class) + 1);
        AppRobot robot = robot();
        String problem = robot.problem();
        if (problem != null) {
            throw new PermanentDeliveryException("dingtalk-sink in app mode: " + problem, 0, null, null);
        }
        AppRobotMessage message = exchange.getMessage().getBody(AppRobotMessage.class);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("robotCode", robot.robotCode());
        if (robot.toGroup()) {
            request.put("openConversationId", robot.openConversationId());
        } else {
            request.put("userIds", robot.userIds());
        }
        request.put("msgKey", message.msgKey());
        request.put("msgParam", message.msgParam());
        exchange.setVariable("appRobotRequest", json(request));
        exchange.setVariable("appRobotPath", robot.sendPath());
        exchange.setVariable("sendAgain", true);
        exchange.setVariable("tokenRefreshed", false);
    }

    /** The app's access token in its header (fetched when none is cached or it is about to expire). */
    public void authorize(Exchange exchange) {
        exchange.setVariable("sendAgain", false);
        AppAccessTokens.Issued issued = tokens.token(apiBaseUrl, appKey, appSecret, () -> fetch(exchange.getContext()));
        exchange.setVariable("appTokenGeneration", issued.generation());
        exchange.getMessage().setHeader(TOKEN_HEADER, issued.accessToken());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
    }

    /** DingTalk's answer to a send: delivered, send again with a new token (once), or an exception. */
    public void classify(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode answer = parse(exchange.getMessage().getBody(String.class));
        String code = text(answer, "code");
        exchange.setVariable("errcode", code != null ? code : "http-" + status);
        if (AppRobotErrors.isTokenRejected(status, code)
                && !exchange.getVariable("tokenRefreshed", false, Boolean.class)) {
            tokens.discard(apiBaseUrl, appKey, appSecret, exchange.getVariable("appTokenGeneration", 0L, Long.class));
            exchange.setVariable("tokenRefreshed", true);
            exchange.setVariable("sendAgain", true);
            return;
        }
        DeliveryException failure = AppRobotErrors.failure(status, code, text(answer, "message"));
        if (failure == null) {
            failure = partialFailure(status, answer);
        }
        if (failure != null) {
            throw failure;
        }
        exchange.setVariable("errcode", "0");
        exchange.setVariable("dingtalkResponse", "processQueryKey " + text(answer, "processQueryKey"));
    }

    /** One-to-one: DingTalk answers 200 but names users it throttled or does not know. */
    private DeliveryException partialFailure(int status, JsonNode answer) {
        if (answer != null && answer.path("flowControlledStaffIdList").size() > 0) {
            return new RateLimitedException("rate limited: DingTalk held back the message for "
                    + answer.path("flowControlledStaffIdList").size() + " user(s)", status, null, "flowControlledStaffIdList");
        }
        if (answer != null && answer.path("invalidStaffIdList").size() > 0
                && answer.path("invalidStaffIdList").size() >= userIds.size()) {
            return new PermanentDeliveryException("no such user: DingTalk knows none of user-ids "
                    + answer.path("invalidStaffIdList") + " (check user-ids)", status, null, "invalidStaffIdList");
        }
        return null;
    }

    /** POST {api-base-url}/v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn}. */
    AppAccessTokens.Token fetch(CamelContext camel) {
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("appKey", appKey);
        credentials.put("appSecret", appSecret);
        Exchange answer = producer(camel).request(apiBaseUrl + "/v1.0/oauth2/accessToken?httpMethod=POST"
                + "&throwExceptionOnFailure=false&connectTimeout=" + connectTimeout + "&connectionRequestTimeout="
                + connectTimeout + "&responseTimeout=" + responseTimeout + "&soTimeout=" + responseTimeout, e -> {
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
                    e.getMessage().setBody(json(credentials));
                });
        if (answer.getException() != null) {
            Exception cause = answer.getException();
            throw new TransientDeliveryException(DeliveryFailures.masked("no answer from DingTalk's token endpoint ("
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    + "): check the network, proxy and dingtalk.api-base-url", null, appSecret), 0, null, null);
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode body = parse(answer.getMessage().getBody(String.class));
        String token = text(body, "accessToken");
        if (status >= 200 && status < 300 && token != null) {
            return new AppAccessTokens.Token(token, body.path("expireIn").asLong(0));
        }
        String code = text(body, "code");
        DeliveryException failure = AppRobotErrors.failure(status, code, text(body, "message"));
        if (failure == null || failure instanceof PermanentDeliveryException) {
            String said = failure == null ? "HTTP " + status + " without a token" : failure.getErrmsg();
            throw new PermanentDeliveryException("DingTalk gave no access token, " + said
                    + ": check the app robot's app-key and app-secret", status, null, said);
        }
        throw failure;
    }

    private ProducerTemplate producer(CamelContext camel) {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = camel.createProducerTemplate();
                }
            }
        }
        return producer;
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
