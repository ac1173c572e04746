package io.github.sentrydingtalk.recipes;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** README recipe: every message gets an Owner line, looked up by project. */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=team", "dingtalk.robots[0].access-token=team-token",
        "dingtalk.robots[0].at-mobiles=13800000001",
        "owners.foo-live=Payments team"})
class AddOwnerLineRecipeTest extends RecipeTestSupport {

    static final String RECIPE = "add-owner-line";
    static final WireMockServer DINGTALK = dingTalkAnsweringOk();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithRecipe(RECIPE, registry, DINGTALK);
    }

    @Test
    void eachMessageNamesItsProjectsOwner() throws Exception {
        postFixture("legacy-plugin.python-exception.json", null); // project foo-live
        List<LoggedRequest> first = awaitMessages(DINGTALK, "team-token", 1);
        postFixture("event_alert.triggered.json", "event_alert");  // project front-end: no owner listed
        List<LoggedRequest> both = awaitMessages(DINGTALK, "team-token", 2);

        assertThat(text(first.get(0))).contains("ValueError").endsWith("\n\n**Owner:** Payments team\n\n@13800000001");
        assertThat(text(both.get(1))).contains("ReferenceError").endsWith("\n\n**Owner:** unassigned\n\n@13800000001");
    }

    @Override
    String recipe() {
        return RECIPE;
    }
}
