package io.github.sentrydingtalk;

import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The queue between acceptance and delivery swapped for a JMS queue on a real (embedded) Artemis broker. */
@TestPropertySource(properties = {
        "notify.queue-uri=jms:queue:sentry-alerts",
        "spring.artemis.mode=embedded",
        "spring.artemis.embedded.enabled=true",
        "spring.artemis.embedded.queues=sentry-alerts",
        "dingtalk.robots[0].name=ops",
        "dingtalk.robots[0].access-token=broker-token",
})
class BrokerQueueTest extends ServiceTestSupport {

    static final WireMockServer DINGTALK = startStandIn();
    static final Path DATA_DIR = tempDataDir();

    static {
        DINGTALK.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @Autowired
    CamelContext camelContext;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
    }


    @Test
    void alertsTravelThroughTheBroker() throws Exception {
        postFixture("issue.created.json", "issue");
        postFixture("legacy-plugin.chinese-markdown.json", null);

        List<LoggedRequest> messages = awaitMessages(DINGTALK, "broker-token", 2);
        assertThat(messages.stream().map(r -> r.getBodyAsString()))
                .anyMatch(b -> b.contains("blooopy is not defined")).anyMatch(b -> b.contains("支付失败"));
        assertThat(camelContext.getRoute("alert-fanout").getEndpoint().getEndpointUri()).startsWith("jms://queue:sentry-alerts");
        assertThat(files(DATA_DIR.resolve("queue"))).as("the file queue is not used").isEmpty();
    }
}
