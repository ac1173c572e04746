package io.github.sentrydingtalk.recipes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** README recipe: outside its office hours one robot's alerts wait in its outbox; the other robot gets them. */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=oncall", "dingtalk.robots[0].access-token=oncall-token",
        "dingtalk.robots[1].name=team", "dingtalk.robots[1].access-token=team-token"})
class OfficeHoursForOneRobotRecipeTest extends RecipeTestSupport {

    static final String RECIPE = "office-hours-for-one-robot";
    static final WireMockServer DINGTALK = dingTalkAnsweringOk();
    static final Path DATA_DIR = tempDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithRecipe(RECIPE, registry, DINGTALK, DATA_DIR);
        // the office opens in the next hour: now is outside office hours, whatever the time of the run
        int hour = LocalTime.now().getHour();
        registry.add("office-hours", () -> (hour + 1) + ".." + (hour + 2));
    }

    @Test
    void outsideOfficeHoursTheRobotsAlertsWaitInItsOutbox() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert");

        awaitMessages(DINGTALK, "team-token", 1);
        Thread.sleep(500); // many drain periods: the oncall robot's alert would have gone out by now
        assertThat(messagesFor(DINGTALK, "oncall-token")).isEmpty();
        try (var waiting = Files.list(DATA_DIR.resolve("outbox").resolve("oncall"))) {
            assertThat(waiting.filter(f -> f.getFileName().toString().endsWith(".json"))).hasSize(1);
        }
    }

    @Override
    String recipe() {
        return RECIPE;
    }
}
