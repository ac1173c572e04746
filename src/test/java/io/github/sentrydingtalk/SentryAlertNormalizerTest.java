package io.github.sentrydingtalk;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.sentry.InvalidSentryPayloadException;
import io.github.sentrydingtalk.sentry.SentryAlert;
import io.github.sentrydingtalk.sentry.SentryAlertNormalizer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static io.github.sentrydingtalk.ServiceTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SentryAlertNormalizerTest {

    private final SentryAlertNormalizer normalizer = new SentryAlertNormalizer();

    private SentryAlert normalize(String fixture, String resource) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(fixture(fixture));
        if (resource != null) {
            exchange.getMessage().setHeader("Sentry-Hook-Resource", resource);
            exchange.getMessage().setHeader("Request-ID", "req-1");
        }
        normalizer.process(exchange);
        return exchange.getVariable("alert", SentryAlert.class);
    }

    @Test
    void legacyPlugin() {
        SentryAlert a = normalize("legacy-plugin.python-exception.json", null);
        assertThat(a.kind()).isEqualTo("legacy");
        assertThat(a.action()).isNull();
        assertThat(a.title()).isEqualTo("ValueError: new sentry error.");
        assertThat(a.projectSlug()).isEqualTo("foo-live");
        assertThat(a.projectName()).isEqualTo("live");
        assertThat(a.level()).isEqualTo("error");
        assertThat(a.location()).isEqualTo("__main__ in <module>");
        assertThat(a.message()).isNull();
        assertThat(a.link()).isEqualTo("https://sentry.io/organizations/bar-foundation/issues/1972208801/");
        assertThat(a.platform()).isEqualTo("python");
        assertThat(a.exceptionType()).isEqualTo("ValueError");
        assertThat(a.exceptionValue()).isEqualTo("new sentry error.");
        assertThat(a.tags()).containsEntry("runtime", "CPython 3.8.5").containsEntry("level", "error");
        assertThat(a.triggeringRule()).isEqualTo("Send a notification for new events");
        assertThat(a.issue()).isNull();
    }

    @Test
    void eventAlert() {
        SentryAlert a = normalize("event_alert.triggered.json", "event_alert");
        assertThat(a.kind()).isEqualTo("event_alert");
        assertThat(a.action()).isEqualTo("triggered");
        assertThat(a.requestId()).isEqualTo("req-1");
        assertThat(a.title()).isEqualTo("ReferenceError: heck is not defined");
        assertThat(a.projectSlug()).as("slug from event.url").isEqualTo("front-end");
        assertThat(a.location()).isEqualTo("?(<anonymous>)");
        assertThat(a.link()).isEqualTo("https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/");
        assertThat(a.exceptionType()).isEqualTo("ReferenceError");
        assertThat(a.topFrame()).as("no in-app frame: the newest frame").isEqualTo("<anonymous>:3");
        assertThat(a.user()).isEqualTo("162.218.85.90");
        assertThat(a.requestUrl()).isEqualTo("https://null.jsbin.com/runner");
        assertThat(a.tags()).containsEntry("browser", "Chrome 75.0.3770");
        assertThat(a.triggeringRule()).isEqualTo("Very Important Alert Rule!");
    }

    @Test
    void errorWebhook() {
        SentryAlert a = normalize("error.created.json", "error");
        assertThat(a.kind()).isEqualTo("error");
        assertThat(a.action()).isEqualTo("created");
        assertThat(a.title()).isEqualTo("ReferenceError: heck is not defined");
        assertThat(a.triggeringRule()).isNull();
    }

    @Test
    void longStackTraceTakesTheNewestInAppFrame() {
        SentryAlert a = normalize("event_alert.long-stacktrace.json", "event_alert");
        assertThat(a.topFrame()).isEqualTo("app/orders/service.py:88 in place_order");
        assertThat(a.title()).as("no title: falls back to the exception").isEqualTo("KeyError: 'sku'");
        assertThat(a.environment()).isEqualTo("production");
    }

    @Test
    void issueCreatedResolvedAssigned() {
        SentryAlert created = normalize("issue.created.json", "issue");
        assertThat(created.kind()).isEqualTo("issue");
        assertThat(created.action()).isEqualTo("created");
        assertThat(created.title()).isEqualTo("ReferenceError: blooopy is not defined");
        assertThat(created.projectSlug()).isEqualTo("front-end");
        assertThat(created.projectName()).isEqualTo("front-end");
        assertThat(created.location()).isEqualTo("?(runner)");
        assertThat(created.link()).as("the docs example has no web_url and no sentry.base-url is set").isNull();
        assertThat(created.issue().shortId()).isEqualTo("FRONT-END-9");
        assertThat(created.issue().count()).isEqualTo("1");
        assertThat(created.issue().userCount()).isEqualTo("1");
        assertThat(created.issue().firstSeen()).isEqualTo("2019-08-19T20:58:37.391000Z");
        assertThat(created.issue().assignee()).isNull();
        assertThat(created.issue().actor()).isEqualTo("Sentry");

        SentryAlert resolved = normalize("issue.resolved.json", "issue");
        assertThat(resolved.action()).isEqualTo("resolved");
        assertThat(resolved.issue().actor()).isEqualTo("Li Lei");
        assertThat(resolved.link()).isEqualTo("https://sentry.io/organizations/test-org/issues/1170820242/");

        SentryAlert assigned = normalize("issue.assigned.json", "issue");
        assertThat(assigned.issue().assignee()).isEqualTo("Han Meimei");
    }

    @Test
    void issueLinkFallsBackToSentryBaseUrl() {
        normalizer.setSentryBaseUrl("https://sentry.example.com/");
        assertThat(normalize("issue.created.json", "issue").link()).isEqualTo("https://sentry.example.com/issues/1170820242/");
    }

    @Test
    void metricAlerts() {
        SentryAlert resolved = normalize("metric_alert.resolved.json", "metric_alert");
        assertThat(resolved.kind()).isEqualTo("metric_alert");
        assertThat(resolved.title()).isEqualTo("Resolved: Too many errors");
        assertThat(resolved.projectSlug()).isEqualTo("bar");
        assertThat(resolved.level()).isEqualTo("info");
        assertThat(resolved.link()).isEqualTo("https://sentry.io/organizations/baz/alerts/1/");
        assertThat(resolved.metricAlert().status()).isEqualTo("resolved");
        assertThat(resolved.metricAlert().ruleTitle()).isEqualTo("Too many errors");
        assertThat(resolved.metricAlert().descriptionText()).isEqualTo("1000 events in the last 10 minutes\nFilter: level:error");

        SentryAlert critical = normalize("metric_alert.critical.json", "metric_alert");
        assertThat(critical.level()).isEqualTo("fatal");
        assertThat(critical.environment()).isEqualTo("production");
    }

    @Test
    void chineseAndReferrer() {
        SentryAlert a = normalize("legacy-plugin.chinese-markdown.json", null);
        assertThat(a.title()).isEqualTo("支付失败：余额不足 *重要*");
        assertThat(a.projectName()).isEqualTo("支付服务");
        assertThat(a.environment()).isEqualTo("生产");
        assertThat(a.link()).isEqualTo("https://sentry.example.com/organizations/acme/issues/42/?foo=bar");
    }

    @Test
    void nullsAndWrongTypesNeverThrow() {
        SentryAlert allNull = normalize("legacy-plugin.all-null.json", null);
        assertThat(allNull.title()).isEqualTo("Sentry alert");
        assertThat(allNull.projectSlug()).isNull();
        assertThat(allNull.link()).isNull();

        SentryAlert wrong = normalize("legacy-plugin.wrong-types.json", null);
        assertThat(wrong.title()).isEqualTo("Sentry alert");
        assertThat(wrong.projectName()).isNull();
        assertThat(wrong.link()).as("12 is no link").isNull();

        for (String resource : new String[] {"event_alert", "error", "issue", "metric_alert"}) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setBody("{\"action\":[],\"data\":{\"event\":\"x\",\"error\":1,\"issue\":[],\"metric_alert\":null}}");
            exchange.getMessage().setHeader("Sentry-Hook-Resource", resource);
            normalizer.process(exchange);
            assertThat(exchange.getVariable("alert", SentryAlert.class).title()).as(resource).startsWith("Sentry");
        }
    }

    @Test
    void serialisesAndReadsBackWithoutNulls() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        SentryAlert a = normalize("issue.created.json", "issue");
        String json = mapper.writeValueAsString(a);
        assertThat(json).doesNotContain("null");
        assertThat(mapper.readValue(json, SentryAlert.class)).isEqualTo(a);
    }

    @Test
    void requestsWithoutAnAlert() {
        for (String resource : new String[] {"installation", "comment", "something_new"}) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setBody("{}".getBytes(StandardCharsets.UTF_8));
            exchange.getMessage().setHeader("Sentry-Hook-Resource", resource);
            normalizer.process(exchange);
            assertThat(exchange.getVariable("alert")).isNull();
            assertThat(exchange.getVariable("ignoredReason", String.class)).isNotBlank();
        }
    }

    @Test
    void badBodies() {
        for (String body : new String[] {"", "nope", "[]", "\"text\"", "{\"a\":", "1"}) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> normalizer.process(exchange)).as(body).isInstanceOf(InvalidSentryPayloadException.class);
        }
        Exchange deep = new DefaultExchange(new DefaultCamelContext());
        deep.getMessage().setBody("[".repeat(5000));
        assertThatThrownBy(() -> normalizer.process(deep)).isInstanceOf(InvalidSentryPayloadException.class);
    }

    private Exchange process(byte[] body, String resource, String requestId) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("Sentry-Hook-Resource", resource);
        exchange.getMessage().setHeader("Request-ID", requestId);
        normalizer.process(exchange);
        return exchange;
    }

    private String key(byte[] body, String resource) {
        return process(body, resource, java.util.UUID.randomUUID().toString()).getVariable("deliveryKey", String.class);
    }

    @Test
    void theDeliveryKeyComesFromTheContentAndHasAFixedSize() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String[] sample : new String[][] {{"event_alert.triggered.json", "event_alert"}, {"error.created.json", "error"},
                {"issue.created.json", "issue"}, {"metric_alert.critical.json", "metric_alert"},
                {"legacy-plugin.python-exception.json", null}}) {
            byte[] body = fixture(sample[0]);
            assertThat(key(body, sample[1])).as("a retry under a new Request-ID").isEqualTo(key(body, sample[1]))
                    .hasSizeLessThanOrEqualTo(64).matches("[a-z_]+:(body:)?[A-Za-z0-9_-]{43}");
        }
        // The same event with another rule is another alert; without an event id, the body decides.
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture("event_alert.triggered.json"));
        String first = key(json.writeValueAsBytes(event), "event_alert");
        event.with("data").put("triggered_rule", "Another rule");
        assertThat(key(json.writeValueAsBytes(event), "event_alert")).isNotEqualTo(first);
        event.with("data").with("event").putNull("event_id");
        assertThat(key(json.writeValueAsBytes(event), "event_alert")).startsWith("event_alert:body:");
        // An issue whose state changed is another alert.
        com.fasterxml.jackson.databind.node.ObjectNode issue = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture("issue.resolved.json"));
        String resolved = key(json.writeValueAsBytes(issue), "issue");
        issue.with("data").with("issue").put("lastSeen", "2030-01-01T00:00:00Z");
        assertThat(key(json.writeValueAsBytes(issue), "issue")).startsWith("issue:").isNotEqualTo(resolved);
    }

    @Test
    void aHugeRequestIdIsCutInTheAlert() {
        Exchange exchange = process(fixture("issue.created.json"), "issue", "x".repeat(7_000));
        assertThat(exchange.getVariable("alert", SentryAlert.class).requestId()).hasSize(65).startsWith("xxxx").endsWith("…");
        assertThat(exchange.getVariable("deliveryKey", String.class)).doesNotContain("xxxx");
    }

    @Test
    void theIssueIdEveryKindNamesIsKeptForTheButtons() {
        assertThat(normalize("legacy-plugin.python-exception.json", null).issueId()).isEqualTo("1972208801");
        assertThat(normalize("event_alert.triggered.json", "event_alert").issueId()).isEqualTo("1117540176");
        assertThat(normalize("error.created.json", "error").issueId()).isEqualTo("1117540176");
        assertThat(normalize("issue.created.json", "issue").issueId()).isEqualTo("1170820242");
        assertThat(normalize("metric_alert.critical.json", "metric_alert").issueId()).isNull();
        assertThat(normalize("legacy-plugin.all-null.json", null).issueId()).isNull();
    }
}
