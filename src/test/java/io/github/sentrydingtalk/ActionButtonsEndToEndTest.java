package io.github.sentrydingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.sentrydingtalk.common.HmacSha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, buttons: a Sentry issue alert in, an actionCard with Open / Resolve / Archive (/ Resolve in next
 * release) out; each action link followed as a phone would (GET the page, POST its form), and the exact PUT
 * that reached a Sentry API stand-in. Links changed, expired or used twice; Sentry refusing, missing or away.
 */
@TestPropertySource(properties = {
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=" + ActionButtonsEndToEndTest.OPS_TOKEN,
        "dingtalk.robots[0].keyword=告警",
        "dingtalk.robots[0].at-mobiles=13800000001",
        "dingtalk.robots[0].resolve-in-next-release=true",
        "dingtalk.robots[1].name=plain",
        "dingtalk.robots[1].access-token=" + ActionButtonsEndToEndTest.PLAIN_TOKEN,
        "dingtalk.robots[1].buttons=false",
        "notify.public-url=https://alerts.example.com/",
        "sentry.api-token=" + ActionButtonsEndToEndTest.API_TOKEN,
        "sentry.organization=acme",
        "notify.action-signing-key=" + ActionButtonsEndToEndTest.SIGNING_KEY,
})
class ActionButtonsEndToEndTest extends ServiceTestSupport {

    static final String OPS_TOKEN = "ops-token-actions";
    static final String PLAIN_TOKEN = "plain-token-actions";
    static final String API_TOKEN = "sntrys_test-api-token-123";
    static final String SIGNING_KEY = "test-signing-key-for-action-links";
    static final String PUBLIC = "https://alerts.example.com/actions/";
    static final String ISSUE_API = "/api/0/organizations/acme/issues/1170820242/";

    static final WireMockServer DINGTALK = startStandIn();
    static final WireMockServer SENTRY = startStandIn();
    static final Path DATA_DIR = tempDataDir();
    private static final HttpClient PHONE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("sentry.base-url", SENTRY::baseUrl);
    }

    @BeforeEach
    void standIns() {
        DINGTALK.resetAll();
        DINGTALK.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(anyUrl())
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        SENTRY.resetAll();
        sentryIssueIs("unresolved");
        SENTRY.stubFor(put(urlEqualTo(ISSUE_API)).willReturn(okJson("{\"status\":\"resolved\"}")));
    }

    @Test
    void anIssueAlertBecomesAnActionCardWithSignedLinksAndARobotWithoutButtonsStaysMarkdown() throws Exception {
        JsonNode card = postIssueCreated();
        String link = SENTRY.baseUrl() + "/issues/1170820242/";
        List<String> tokens = tokensOf(card);
        String text = card.path("actionCard").path("text").asText();
        assertThat(card.toString()).isEqualTo("{\"msgtype\":\"actionCard\",\"actionCard\":{"
                + "\"title\":\"【告警】【front-end】 ReferenceError: blooopy is not defined\","
                + "\"text\":" + JSON.writeValueAsString(text) + ",\"btnOrientation\":\"0\",\"btns\":["
                + "{\"title\":\"Open in Sentry\",\"actionURL\":\"" + link + "\"},"
                + "{\"title\":\"Resolve\",\"actionURL\":\"" + PUBLIC + tokens.get(0) + "\"},"
                + "{\"title\":\"Archive\",\"actionURL\":\"" + PUBLIC + tokens.get(1) + "\"},"
                + "{\"title\":\"Resolve in next release\",\"actionURL\":\"" + PUBLIC + tokens.get(2) + "\"}]},"
                + "\"at\":{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[],\"isAtAll\":false}}");
        assertThat(text).startsWith("### 【告警】【front-end】 ReferenceError: blooopy is not defined\n\n**🆕 New issue**")
                .endsWith("\n\n@13800000001");

        // each link names the issue, the action, what the page shows, and an expiry 7 days ahead; signed
        List<String> actions = List.of("resolve", "archive", "resolve-in-next-release");
        for (int i = 0; i < 3; i++) {
            String[] parts = tokens.get(i).split("\\.");
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            assertThat(payload.toString()).isEqualTo("{\"i\":\"1170820242\",\"a\":\"" + actions.get(i)
                    + "\",\"p\":\"front-end\",\"t\":\"ReferenceError: blooopy is not defined\",\"l\":\"error\",\"x\":"
                    + payload.path("x").asLong() + ",\"n\":\"" + payload.path("n").asText() + "\"}");
            assertThat(payload.path("n").asText()).as("the accepted alert's id").matches("[0-9]{13}-[0-9a-f]{8}");
            assertThat(payload.path("x").asLong() - Instant.now().getEpochSecond()).isBetween(7 * 86400L - 120, 7 * 86400L);
            assertThat(parts[1]).isEqualTo(mac(parts[0]));
        }

        JsonNode plain = body(awaitMessages(DINGTALK, PLAIN_TOKEN, 1).get(0));
        assertThat(plain.path("msgtype").asText()).isEqualTo("markdown");
        assertThat(plain.has("actionCard")).isFalse();
        assertThat(plain.toString()).doesNotContain("/actions/");
    }

    @Test
    void theLinkShowsAPageAndOnlyItsFormResolvesTheIssueOnce() throws Exception {
        String resolve = tokensOf(postIssueCreated()).get(0);

        HttpResponse<String> page = open("GET", resolve);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<h1 id=\"heading\">Resolve?</h1>", "ReferenceError: blooopy is not defined",
                "<strong id=\"issue-project\">front-end</strong>", "<strong id=\"issue-level\">error</strong>",
                "<form method=\"post\">", "<button type=\"submit\" id=\"confirm\">Resolve</button>")
                .doesNotContain("<script");
        open("GET", resolve);
        assertThat(SENTRY.getAllServeEvents()).as("a GET (link preview, crawler) asks Sentry nothing").isEmpty();

        HttpResponse<String> done = open("POST", resolve);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("<h1 id=\"heading\">Done</h1>", "The issue is now resolved.");
        List<LoggedRequest> puts = SENTRY.findAll(putRequestedFor(anyUrl()));
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).getUrl()).isEqualTo(ISSUE_API);
        assertThat(puts.get(0).getHeader("Authorization")).isEqualTo("Bearer " + API_TOKEN);
        assertThat(puts.get(0).getBodyAsString()).isEqualTo("{\"status\":\"resolved\"}");
        assertThat(puts.get(0).getHeader("Content-Type")).startsWith("application/json");

        // replayed: the same link again (POST or GET) says so and asks Sentry nothing more
        int before = SENTRY.getAllServeEvents().size();
        HttpResponse<String> again = open("POST", resolve);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("<h1 id=\"heading\">Already done</h1>", "This link was used before");
        assertThat(open("GET", resolve).body()).contains("Already done").doesNotContain("<form");
        assertThat(SENTRY.getAllServeEvents()).hasSize(before);
    }

    @Test
    void archiveAndResolveInNextReleaseSendWhatSentrysApiWants() throws Exception {
        List<String> tokens = tokensOf(postIssueCreated());
        assertThat(open("POST", tokens.get(1)).body()).contains("The issue is now archived until it escalates.");
        assertThat(open("POST", tokens.get(2)).body()).contains("The issue is now resolved in the next release.");
        List<LoggedRequest> puts = SENTRY.findAll(putRequestedFor(urlEqualTo(ISSUE_API)));
        assertThat(puts).extracting(LoggedRequest::getBodyAsString).containsExactly(
                "{\"status\":\"ignored\",\"substatus\":\"archived_until_escalating\",\"statusDetails\":{}}",
                "{\"status\":\"resolvedInNextRelease\"}");
    }

    @Test
    void anIssueSentryShowsResolvedAlreadyIsNotChanged() throws Exception {
        String resolve = tokensOf(postIssueCreated()).get(0);
        sentryIssueIs("resolved");
        HttpResponse<String> page = open("POST", resolve);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Already resolved", "nothing was changed");
        assertThat(SENTRY.findAll(putRequestedFor(anyUrl()))).isEmpty();
        assertThat(SENTRY.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("Authorization")).isEqualTo("Bearer " + API_TOKEN);
    }

    @Test
    void changedAndExpiredLinksGetAPageAndNeverAnAction() throws Exception {
        String resolve = tokensOf(postIssueCreated()).get(0);
        String[] parts = resolve.split("\\.");
        // another issue id with the old signature
        ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        payload.put("i", "999");
        String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(payload)) + "." + parts[1];
        for (String token : List.of(changed, parts[0] + "." + parts[1].substring(1) + "A", parts[0], "x")) {
            for (String method : List.of("GET", "POST")) {
                HttpResponse<String> page = open(method, token);
                assertThat(page.statusCode()).as("%s %s", method, token).isEqualTo(400);
                assertThat(page.body()).contains("This link is not valid", "Nothing was changed").doesNotContain("<form");
            }
        }
        // signed with the right key, but a second past its expiry
        payload.put("i", "1170820242");
        payload.put("x", Instant.now().getEpochSecond() - 1);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(payload));
        HttpResponse<String> expired = open("POST", encoded + "." + mac(encoded));
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body()).contains("This link has expired", "ReferenceError: blooopy is not defined").doesNotContain("<form");
        assertThat(SENTRY.getAllServeEvents()).isEmpty();
    }

    @Test
    void sentrysRefusalsAndAbsenceAreSaidInWords() throws Exception {
        List<String> tokens = tokensOf(postIssueCreated());
        Map<Integer, String> words = Map.of(401, "Sentry refused", 403, "Sentry refused", 404, "Issue not found",
                500, "Sentry failed");
        for (Map.Entry<Integer, String> answer : words.entrySet()) {
            SENTRY.resetAll();
            SENTRY.stubFor(any(urlEqualTo(ISSUE_API)).willReturn(aResponse().withStatus(answer.getKey()).withBody("{}")));
            HttpResponse<String> page = open("POST", tokens.get(0));
            assertThat(page.body()).as("Sentry answers %s", answer.getKey()).contains(answer.getValue())
                    .doesNotContain(API_TOKEN);
            assertThat(page.statusCode()).isEqualTo(answer.getKey() == 404 ? 404 : 502);
        }
        SENTRY.resetAll();
        SENTRY.stubFor(any(urlEqualTo(ISSUE_API)).willReturn(aResponse().withStatus(500)));
        assertThat(open("POST", tokens.get(0)).body()).contains("Sentry answered 500", "try again");
        SENTRY.resetAll();
        SENTRY.stubFor(any(urlEqualTo(ISSUE_API)).willReturn(aResponse().withStatus(403)));
        assertThat(open("POST", tokens.get(0)).body()).contains("Sentry answered 403", "lacks the event:write permission");
        // the GET passed, the PUT is refused
        SENTRY.resetAll();
        sentryIssueIs("unresolved");
        SENTRY.stubFor(put(urlEqualTo(ISSUE_API)).willReturn(aResponse().withStatus(403)));
        assertThat(open("POST", tokens.get(0)).body()).contains("Sentry answered 403");
        assertThat(SENTRY.findAll(putRequestedFor(urlEqualTo(ISSUE_API)))).hasSize(1);

        // unreachable: the connection is dropped
        SENTRY.resetAll();
        SENTRY.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> away = open("POST", tokens.get(0));
        assertThat(away.statusCode()).isEqualTo(504);
        assertThat(away.body()).contains("Sentry unreachable", "Nothing was changed");

        // none of those used the link up: once Sentry is back, it works
        standIns();
        assertThat(open("POST", tokens.get(0)).body()).contains("<h1 id=\"heading\">Done</h1>");
    }

    @Test
    void aHugeIssueKeepsKeywordMentionsAndButtonsWithinDingTalksLimit() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree(fixture("issue.created.json"));
        ((ObjectNode) payload.path("data").path("issue")).put("culprit", "长".repeat(9_000));
        assertThat(postWebhook(JSON.writeValueAsBytes(payload), "issue").statusCode()).isEqualTo(202);
        LoggedRequest sent = awaitMessages(DINGTALK, OPS_TOKEN, 1).get(0);
        assertThat(sent.getBody().length).isLessThanOrEqualTo(20_000);
        JsonNode card = body(sent);
        assertThat(card.path("msgtype").asText()).isEqualTo("actionCard");
        assertThat(card.path("actionCard").path("title").asText()).startsWith("【告警】");
        assertThat(card.path("actionCard").path("text").asText()).endsWith("\n\n@13800000001").contains("…");
        assertThat(tokensOf(card)).hasSize(3);
        assertThat(open("GET", tokensOf(card).get(0)).statusCode()).isEqualTo(200);
    }

    /**
     * The confirmation page in a real headless Chromium at phone size (390 x 844): the screenshot (kept as
     * target/action-page-phone.png) shows the button, a block of its green at least button-sized, below the
     * issue's title; the rendered DOM holds the title and the form's button. Skipped without chromium, unless
     * REQUIRE_CHROMIUM=1 (CI).
     */
    @Test
    void theConfirmationPageRendersInHeadlessChromiumAtPhoneSize() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!java.nio.file.Files.isExecutable(chromium)) {
            assertThat(System.getenv("REQUIRE_CHROMIUM")).as("REQUIRE_CHROMIUM=1 but no chromium at " + chromium).isNotEqualTo("1");
            org.junit.jupiter.api.Assumptions.abort("no chromium at " + chromium + " (apt-get install chromium): page not rendered");
        }
        String url = "http://localhost:" + port + "/actions/" + tokensOf(postIssueCreated()).get(0);
        Path screenshot = Path.of("target", "action-page-phone.png").toAbsolutePath();
        java.nio.file.Files.deleteIfExists(screenshot);
        chromium(chromium, "--screenshot=" + screenshot, url);
        String dom = chromium(chromium, "--dump-dom", url);

        assertThat(dom).contains("<div class=\"title\" id=\"issue-title\">ReferenceError: blooopy is not defined</div>",
                "<button type=\"submit\" id=\"confirm\">Resolve</button>");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(screenshot.toFile());
        assertThat(png.getWidth()).isEqualTo(390);
        // the button: the page's only green (#1a7f37), full width less the margins, a thumb high
        int left = Integer.MAX_VALUE, top = Integer.MAX_VALUE, right = -1, bottom = -1, green = 0, dark = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y);
                if (near(rgb, 0x1a7f37)) {
                    green++;
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        assertThat(green).as("button-green pixels in %s", screenshot).isGreaterThan(0);
        assertThat(right - left).as("button width").isGreaterThanOrEqualTo(300);
        assertThat(bottom - top).as("button height").isGreaterThanOrEqualTo(40);
        assertThat(green).as("a solid button").isGreaterThan((right - left) * (bottom - top) * 8 / 10);
        // above it, text: the heading and the issue's title in dark ink
        for (int y = 0; y < top; y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                dark += near(png.getRGB(x, y), 0x1f2328) ? 1 : 0;
            }
        }
        assertThat(dark).as("dark text pixels above the button").isGreaterThan(200);
        assertThat(SENTRY.getAllServeEvents()).as("the browser's GET changed nothing").isEmpty();
    }

    private static boolean near(int rgb, int colour) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (colour >> shift & 0xff)) > 10) {
                return false;
            }
        }
        return true;
    }

    private static String chromium(Path chromium, String what, String url) throws Exception {
        Path profile = java.nio.file.Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=390,844",
                "--user-data-dir=" + profile, what, url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium's exit code").isZero();
        return out;
    }

    private JsonNode postIssueCreated() throws Exception {
        postFixture("issue.created.json", "issue");
        return body(awaitMessages(DINGTALK, OPS_TOKEN, 1).get(0));
    }

    private static void sentryIssueIs(String status) {
        SENTRY.stubFor(get(urlEqualTo(ISSUE_API)).willReturn(okJson("{\"id\":\"1170820242\",\"status\":\"" + status + "\"}")));
    }

    /** The tokens of the card's action buttons, in order; each link must start with the public URL. */
    static List<String> tokensOf(JsonNode card) {
        List<String> tokens = new java.util.ArrayList<>();
        for (JsonNode button : card.path("actionCard").path("btns")) {
            String url = button.path("actionURL").asText();
            if (!button.path("title").asText().equals("Open in Sentry")) {
                assertThat(url).startsWith(PUBLIC);
                tokens.add(url.substring(PUBLIC.length()));
            }
        }
        return tokens;
    }

    /** As a phone opens the button's link: the public URL is this test's service. */
    HttpResponse<String> open(String method, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actions/" + token))
                .timeout(Duration.ofSeconds(20));
        request = method.equals("POST") ? request.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        return PHONE.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String mac(String payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                HmacSha256.digest(SIGNING_KEY, payload.getBytes(StandardCharsets.US_ASCII)));
    }
}
