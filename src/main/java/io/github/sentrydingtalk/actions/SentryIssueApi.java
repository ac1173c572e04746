package io.github.sentrydingtalk.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sentry's issue API, for the action routes: {@code {sentry.base-url}/api/0/organizations/{org}/issues/{id}/}
 * (https://sentry.io when the base URL is empty), the {@code Authorization: Bearer} header (as a processor, so
 * the token stays out of every route and endpoint), and what Sentry's answers mean.
 */
public class SentryIssueApi implements Processor {

    static final String DEFAULT_BASE_URL = "https://sentry.io";
    private static final ObjectMapper JSON = new ObjectMapper();

    private String baseUrl = DEFAULT_BASE_URL;
    private String apiToken = "";
    private String organization = "";

    public void setBaseUrl(String baseUrl) {
        String base = baseUrl == null ? "" : baseUrl.strip().replaceAll("/+$", "");
        this.baseUrl = base.isEmpty() ? DEFAULT_BASE_URL : base;
    }

    public void setApiToken(String apiToken) {
        this.apiToken = apiToken == null ? "" : apiToken.strip();
    }

    public void setOrganization(String organization) {
        this.organization = organization == null ? "" : organization.strip();
    }

    /** Both sentry.api-token and sentry.organization are set. */
    public boolean isConfigured() {
        return !apiToken.isEmpty() && !organization.isEmpty();
    }

    public String issueApiUrl(String issueId) {
        return baseUrl + "/api/0/organizations/" + organization + "/issues/" + issueId + "/";
    }

    /** The issue's page in Sentry. */
    public String issueWebUrl(String issueId) {
        return baseUrl + "/organizations/" + organization + "/issues/" + issueId + "/";
    }

    /** The page, with the issue's link when it names an issue. */
    public ActionPage withIssueUrl(ActionPage page) {
        return page.token() == null ? page : new ActionPage(page.status(), page.heading(), page.detail(), page.token(),
                page.form(), issueWebUrl(page.token().issueId()));
    }

    /** Every header of the request goes; these are the only ones Sentry gets. */
    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader("Authorization", "Bearer " + apiToken);
        exchange.getMessage().setHeader("Accept", "application/json");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** A 2xx goes on; anything else ends with the page that says what Sentry's answer means. */
    public void checkAnswer(int status, ActionToken token) {
        if (status >= 200 && status < 300) {
            return;
        }
        ActionPage page = switch (status) {
            case 401, 403 -> ActionPages.refused(token, status);
            case 404 -> ActionPages.notFound(token);
            default -> ActionPages.sentryFailed(token, status);
        };
        throw new ActionRefusedException(page);
    }

    /** Whether the issue, as Sentry's GET shows it, is in the action's state already. */
    public boolean isAlreadyDone(String issueJson, ActionToken token) {
        try {
            JsonNode issue = JSON.readTree(issueJson == null ? "{}" : issueJson);
            return token.action().isDoneAt(issue.path("status").asText(""));
        } catch (java.io.IOException e) {
            return false; // then the PUT decides
        }
    }
}
