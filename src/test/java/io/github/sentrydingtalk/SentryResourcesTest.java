package io.github.sentrydingtalk;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import static org.assertj.core.api.Assertions.assertThat;

/** What Sentry sends today: archived issues with how long they stay quiet, and resources that are no alert. */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=resources-token",
        "notify.time-zone=Asia/Shanghai",
})
class SentryResourcesTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startAcceptingStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }

    @Test
    void anArchivedIssueSaysUntilWhen() throws Exception {
        List<String> fixtures = List.of("issue.archived.until-escalating.json", "issue.archived.until-count.json",
                "issue.archived.until-time.json", "issue.archived.forever.json", "issue.ignored.users.json");
        for (int i = 0; i < fixtures.size(); i++) {
            postFixture(fixtures.get(i), "issue");
            awaitMessages(DINGTALK, "resources-token", i + 1); // one at a time: in this order
        }
        List<String> statusLines = messagesFor(DINGTALK, "resources-token").stream().map(r -> {
            try {
                return text(r).lines().filter(l -> l.startsWith("**🔕")).findFirst().orElseThrow();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(statusLines).containsExactlyInAnyOrder(
                "**🔕 Archived** by Li Lei until it escalates",
                "**🔕 Archived** by Li Lei until 100 more events in 60 minutes",
                "**🔕 Archived** by Li Lei until 2019-08-27 04:58:37",
                "**🔕 Archived** by Li Lei forever",
                "**🔕 Archived** by Li Lei until 10 more users in 1440 minutes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "comment.created.json | comment | resource 'comment' carries no alert",
            "installation.created.json | installation | resource 'installation' carries no alert",
            "seer.root_cause_completed.json | seer | resource 'seer' carries no alert",
            "preprod_artifact.created.json | preprod_artifact | resource 'preprod_artifact' carries no alert",
            "comment.created.json | uptime_monitor | resource 'uptime_monitor' is not one this service sends",
            "comment.created.json | \"bad\" name | resource '?bad??name' is not one this service sends",
    })
    void resourcesThatAreNoAlertAreAnsweredAsDeliveredAndSendNothing(String fixture, String resource, String reason) throws Exception {
        int before = allRequests(DINGTALK);
        HttpResponse<String> answer = postWebhook(fixture(fixture), resource);
        assertThat(answer.statusCode()).isEqualTo(202);
        String shown = resource.replaceAll("[^A-Za-z0-9_.-]", "?");
        assertThat(answer.body()).isEqualTo("{\"status\":\"ignored\",\"resource\":\"" + shown + "\",\"reason\":\"" + reason + "\"}");
        Thread.sleep(300);
        assertThat(allRequests(DINGTALK)).isEqualTo(before);
    }
}
