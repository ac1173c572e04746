package io.github.sentrydingtalk.recipes;


import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** README recipe: alerts from a noisy culprit reach no robot; the others still do. */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=team", "dingtalk.robots[0].access-token=team-token",
        "dingtalk.robots[1].name=ops", "dingtalk.robots[1].access-token=ops-token"})
class DropNoisyCulpritRecipeTest extends RecipeTestSupport {

    static final String RECIPE = "drop-noisy-culprit";
    static final WireMockServer DINGTALK = dingTalkAnsweringOk();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithRecipe(RECIPE, registry, DINGTALK);
    }

    @Test
    void alertsFromTheNoisyCulpritReachNoRobot() throws Exception {
        postFixture("legacy-plugin.python-exception.json", null); // culprit "__main__ in <module>"
        postFixture("event_alert.triggered.json", "event_alert");  // another culprit

        awaitMessages(DINGTALK, "team-token", 1);
        awaitMessages(DINGTALK, "ops-token", 1);
        Thread.sleep(500); // the noisy one would have been sent by now, in order, before the other
        assertThat(messagesFor(DINGTALK, "team-token")).singleElement()
                .satisfies(r -> assertThat(text(r)).contains("ReferenceError"));
        assertThat(messagesFor(DINGTALK, "ops-token")).singleElement()
                .satisfies(r -> assertThat(text(r)).contains("ReferenceError").doesNotContain("__main__"));
    }

    @Override
    String recipe() {
        return RECIPE;
    }
}
