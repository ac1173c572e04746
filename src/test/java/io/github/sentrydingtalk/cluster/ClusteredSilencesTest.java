package io.github.sentrydingtalk.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sentrydingtalk.ServiceTestSupport;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clustered mode: an ad-hoc silence made on one replica mutes the alerts every replica accepts. */
class ClusteredSilencesTest extends TwoReplicasTestSupport {


    /** issue.created.json ("ReferenceError: blooopy is not defined") for another issue. */
    static byte[] issue(String issueId, String title) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ServiceTestSupport.fixture("issue.created.json"));
        ObjectNode issue = (ObjectNode) root.path("data").path("issue");
        issue.put("id", issueId);
        issue.put("title", title);
        return JSON.writeValueAsBytes(root);
    }

    static List<String> delivered() {
        return dingTalk.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString()).toList();
    }

    @Test
    void aSilenceMadeOnOneReplicaMutesTheOthersAndOutlivesAReplicasRestart() throws Exception {
        HttpResponse<String> made = a.admin("POST", "/admin/silences",
                "{\"robot\":\"ops\",\"text\":\"payment gateway\",\"duration\":\"1h\",\"comment\":\"maintenance\"}", ADMIN_TOKEN);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String id = JSON.readTree(made.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.admin("GET", "/admin/silences", null, ADMIN_TOKEN).body().contains(id));

        // muted on b, then an alert that is not: the robot sends in order, so once the second is there the first never will be
        assertThat(b.postWebhook(issue("8101", "Timeout: payment gateway"), "issue", CLIENT_SECRET).statusCode()).isEqualTo(202);
        assertThat(b.postWebhook(issue("8102", "Timeout: search"), "issue", CLIENT_SECRET).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered().stream().anyMatch(m -> m.contains("Timeout: search")));
        assertThat(delivered()).noneMatch(m -> m.contains("payment gateway"));

        // a replica started now reads the silence before it accepts anything
        Replica c = startReplica("c");
        try {
            JsonNode listed = JSON.readTree(c.admin("GET", "/admin/silences", null, ADMIN_TOKEN).body());
            assertThat(listed.findValuesAsText("id")).contains(id);
        } finally {
            c.close();
        }

        // lifted on b: gone on a too, and the alert goes out again
        assertThat(b.admin("DELETE", "/admin/silences/" + id, null, ADMIN_TOKEN).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.admin("GET", "/admin/silences", null, ADMIN_TOKEN).body().contains(id));
        assertThat(a.postWebhook(issue("8103", "Timeout: payment gateway"), "issue", CLIENT_SECRET).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered().stream().anyMatch(m -> m.contains("payment gateway")));
    }
}
