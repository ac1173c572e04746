package io.github.sentrydingtalk;

import java.nio.file.Path;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import static org.assertj.core.api.Assertions.assertThat;

/** Routing by Sentry tags, and the tags a robot lists in its messages. */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=mac-chrome",
        "dingtalk.robots[0].access-token=mac-chrome-token",
        // every key named must match: a Chrome browser on a Mac
        "dingtalk.robots[0].tags=browser:Chrome*, os.name:Linux, os.name:Mac*",
        "dingtalk.robots[0].show-tags=os.name, browser, release",
        "dingtalk.robots[1].name=firefox",
        "dingtalk.robots[1].access-token=firefox-token",
        "dingtalk.robots[1].tags=browser:Firefox*",
        "dingtalk.robots[2].name=everything",
        "dingtalk.robots[2].access-token=everything-token",
})
class TagsTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startAcceptingStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Test
    void robotsGetTheAlertsTheirTagsMatchAndListTheTagsTheyAskFor() throws Exception {
        postFixture("event_alert.triggered.json", "event_alert"); // browser Chrome 75.0.3770, os.name Mac OS X
        postFixture("issue.created.json", "issue");               // no tags at all

        String everything = text(awaitMessages(DINGTALK, "everything-token", 2).get(0));
        String macChrome = text(awaitMessages(DINGTALK, "mac-chrome-token", 1).get(0));
        assertThat(macChrome).isEqualTo("""
                ### 【front-end】 ReferenceError: heck is not defined

                - **📦 Project**: front-end
                - **🚦 Level**: error
                - **📍 Location**: `?(<anonymous>)`
                - **🏷️ os.name**: Mac OS X
                - **🏷️ browser**: Chrome 75.0.3770

                📢 **Trigger**: Very Important Alert Rule!

                [👉 View Issue on Sentry](https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/)""");
        assertThat(everything).as("no show-tags: no tags listed").doesNotContain("🏷️");
        Thread.sleep(500);
        assertThat(messagesFor(DINGTALK, "firefox-token")).as("not a Firefox browser").isEmpty();
        assertThat(messagesFor(DINGTALK, "mac-chrome-token")).as("the issue has no tags: it matches no tag filter").hasSize(1);
    }
}
