package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import static org.assertj.core.api.Assertions.assertThat;

/** The person on duty is @mentioned besides the robot's fixed mentions, and the admin API says who it is. */
@TestPropertySource(properties = {
        "admin.token=admin-on-call",
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=ops-on-call-token",
        "dingtalk.robots[0].at-mobiles=13800000001",
        "dingtalk.robots[0].on-call.mobiles=13800000011, 13800000022, 13800000033",
        "dingtalk.robots[0].on-call.shift=1d",
        "dingtalk.robots[1].name=app-team",
        "dingtalk.robots[1].access-token=app-on-call-token",
        "dingtalk.robots[1].on-call.user-ids=manager4220, dev0931",
        "dingtalk.robots[1].on-call.shift=7d",
        "dingtalk.robots[1].on-call.start=2026-01-05T09:00+08:00[Asia/Shanghai]",
        "dingtalk.robots[2].name=plain",
        "dingtalk.robots[2].access-token=plain-on-call-token",
})
class OnCallRotationTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startAcceptingStandIn();
    static final Path DATA_DIR = tempDataDir();
    // 36 hours before the test: the second person's day, which ends 12 hours from now
    static final ZonedDateTime START = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).minusHours(36).truncatedTo(ChronoUnit.SECONDS);

    static {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("dingtalk.robots[0].on-call.start", START::toString);
    }

    @Test
    void thePersonOnDutyIsMentionedToo() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert");

        JsonNode ops = body(awaitMessages(DINGTALK, "ops-on-call-token", 1).get(0));
        assertThat(ops.path("at").path("atMobiles").toString()).isEqualTo("[\"13800000001\",\"13800000022\"]");
        assertThat(ops.path("markdown").path("text").asText()).endsWith("\n\n@13800000001 @13800000022");

        JsonNode app = body(awaitMessages(DINGTALK, "app-on-call-token", 1).get(0));
        String onDuty = ROTATING_USER_IDS[(int) Math.floorMod(Duration.between(
                ZonedDateTime.parse("2026-01-05T09:00+08:00[Asia/Shanghai]"), ZonedDateTime.now()).toDays() / 7, 2)];
        assertThat(app.path("at").path("atUserIds").toString()).isEqualTo("[\"" + onDuty + "\"]");
        assertThat(app.path("markdown").path("text").asText()).endsWith("\n\n@" + onDuty);

        JsonNode plain = body(awaitMessages(DINGTALK, "plain-on-call-token", 1).get(0));
        assertThat(plain.path("at").path("atMobiles").toString()).isEqualTo("[]");
    }

    static final String[] ROTATING_USER_IDS = {"manager4220", "dev0931"};

    @Test
    void theAdminApiSaysWhoIsOnCallNowAndNext() throws Exception {
        HttpResponse<String> answer = get("/admin/robots/ops/on-call", "admin-on-call");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(answer.body()).isEqualTo("{\"robot\":\"ops\","
                + "\"now\":{\"mobile\":\"13800000022\",\"from\":\"" + START.plusDays(1).toOffsetDateTime() + "\",\"until\":\"" + START.plusDays(2).toOffsetDateTime() + "\"},"
                + "\"next\":{\"mobile\":\"13800000033\",\"from\":\"" + START.plusDays(2).toOffsetDateTime() + "\",\"until\":\"" + START.plusDays(3).toOffsetDateTime() + "\"}}");

        HttpResponse<String> none = get("/admin/robots/plain/on-call", "admin-on-call");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(none.body()).path("reason").asText()).startsWith("robot 'plain' has no on-call rotation");
        assertThat(get("/admin/robots/nobody/on-call", "admin-on-call").statusCode()).isEqualTo(404);
        assertThat(get("/admin/robots/ops/on-call", "wrong").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
