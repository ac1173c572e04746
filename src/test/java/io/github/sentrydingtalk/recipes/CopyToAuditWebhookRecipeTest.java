package io.github.sentrydingtalk.recipes;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** README recipe: every alert also goes to an audit webhook, and DingTalk still gets it. */
@TestPropertySource(properties = {"dingtalk.robots[0].name=team", "dingtalk.robots[0].access-token=team-token"})
class CopyToAuditWebhookRecipeTest extends RecipeTestSupport {

    static final String RECIPE = "copy-to-audit-webhook";
    static final WireMockServer DINGTALK = dingTalkAnsweringOk();
    static final WireMockServer AUDIT = startStandIn();

    static {
        AUDIT.stubFor(post(urlPathEqualTo("/audit")).willReturn(aResponse().withStatus(204)));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("audit.url", () -> AUDIT.baseUrl() + "/audit");
        startWithRecipe(RECIPE, registry, DINGTALK);
    }

    @Test
    void theAuditWebhookGetsEachAlertAndDingTalkStillDoes() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert");

        LoggedRequest message = awaitMessages(DINGTALK, "team-token", 1).get(0);
        assertThat(text(message)).contains("ReferenceError");
        await().atMost(Duration.ofSeconds(20)).until(() -> !AUDIT.findAll(postRequestedFor(urlPathEqualTo("/audit"))).isEmpty());
        List<LoggedRequest> audited = AUDIT.findAll(postRequestedFor(urlPathEqualTo("/audit")));
        assertThat(audited).singleElement().satisfies(r -> {
            assertThat(r.getHeader("Content-Type")).startsWith("application/json");
            // the accepted alert as the service keeps it, with its id; no Sentry header travels along
            assertThat(body(r).path("title").asText()).isEqualTo("ReferenceError: heck is not defined");
            assertThat(body(r).path("id").asText()).isNotEmpty();
            assertThat(r.containsHeader("Sentry-Hook-Resource")).isFalse();
        });
    }

    @Override
    String recipe() {
        return RECIPE;
    }
}
