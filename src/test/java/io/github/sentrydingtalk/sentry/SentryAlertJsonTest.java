package io.github.sentrydingtalk.sentry;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Outbox files and dead letters written by the previous version (24 positional components) still read the same. */
class SentryAlertJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Written by the version before the builder, from new SentryAlert(...) with every component set. */
    private static final String PREVIOUS_VERSION = """
            {"kind":"issue","action":"created","requestId":"req-1","title":"TypeError: x is undefined",\
            "projectSlug":"front-end","projectName":"Front End","environment":"production","level":"error",\
            "location":"app/main.js in render","message":"x is undefined","link":"https://sentry.example.com/issues/42/",\
            "release":"1.2.3","platform":"javascript","exceptionType":"TypeError","exceptionValue":"x is undefined",\
            "topFrame":"main.js:10 in render","user":"alice@example.com","requestUrl":"https://app.example.com/page",\
            "tags":{"browser":"Chrome 120","server_name":"web-1"},"triggeringRule":"Notify ops",\
            "issue":{"shortId":"FRONT-1","count":"12","userCount":"3","firstSeen":"2026-11-25T10:00:00Z",\
            "lastSeen":"2026-11-25T11:00:00Z","assignee":"Bob","actor":"Carol","status":"unresolved"},\
            "metricAlert":{"status":"critical","ruleTitle":"Error rate","descriptionTitle":"Error rate above 5%",\
            "descriptionText":"1 error\\nin 1 minute"},"id":"20261125110000000-00001",\
            "acceptedAt":"2026-11-25T11:00:00.123Z"}""";

    private static SentryAlert everyField() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("browser", "Chrome 120");
        tags.put("server_name", "web-1");
        return SentryAlert.builder().kind("issue").action("created").requestId("req-1")
                .title("TypeError: x is undefined").projectSlug("front-end").projectName("Front End")
                .environment("production").level("error").location("app/main.js in render")
                .message("x is undefined").link("https://sentry.example.com/issues/42/").release("1.2.3")
                .platform("javascript").exceptionType("TypeError").exceptionValue("x is undefined")
                .topFrame("main.js:10 in render").user("alice@example.com").requestUrl("https://app.example.com/page")
                .tags(tags).triggeringRule("Notify ops")
                .issue(new SentryAlert.Issue("FRONT-1", "12", "3", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z",
                        "Bob", "Carol", "unresolved"))
                .metricAlert(new SentryAlert.MetricAlert("critical", "Error rate", "Error rate above 5%",
                        "1 error\nin 1 minute", null))
                .id("20261125110000000-00001").acceptedAt("2026-11-25T11:00:00.123Z").build();
    }

    @Test
    void aFileWrittenByThePreviousVersionReadsIntoTheSameAlert() throws Exception {
        SentryAlert read = MAPPER.readValue(PREVIOUS_VERSION, SentryAlert.class);
        assertThat(read).isEqualTo(everyField());
        assertThat(read.issue().shortId()).isEqualTo("FRONT-1");
        assertThat(read.metricAlert().descriptionText()).isEqualTo("1 error\nin 1 minute");
    }

    @Test
    void anAlertIsWrittenWithTheSameFieldNamesAsBefore() throws Exception {
        assertThat(MAPPER.writeValueAsString(everyField())).isEqualTo(PREVIOUS_VERSION);
    }

    @Test
    void fieldsNotSetAreLeftOutAndChangesKeepTheRest() throws Exception {
        SentryAlert alert = SentryAlert.builder().kind("legacy").title("Boom, boom").projectSlug("api").build();
        assertThat(MAPPER.writeValueAsString(alert)).isEqualTo("{\"kind\":\"legacy\",\"title\":\"Boom, boom\",\"projectSlug\":\"api\"}");
        SentryAlert accepted = alert.accepted("id-1", "2026-11-25T11:00:00Z").withShortTitle(4);
        assertThat(accepted).isEqualTo(SentryAlert.builder().kind("legacy").title("Boom…").projectSlug("api")
                .id("id-1").acceptedAt("2026-11-25T11:00:00Z").build());
        assertThat(everyField().toBuilder().build()).isEqualTo(everyField());
    }

    @Test
    void itsTextNamesTheAlertWithoutItsContent() {
        // Camel writes both sides of a false comparison (${variable.alert} == null) into a string on every alert.
        assertThat(everyField()).hasToString("SentryAlert[id=20261125110000000-00001, kind=issue, project=front-end]");
    }
}
