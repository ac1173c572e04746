package io.github.sentrydingtalk.kamelet;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own YAML route under plain camel-main, with the Kamelet found in kamelets/ (the location
 * application.properties sets): a Markdown body in, a signed DingTalk message out.
 */
class DingTalkSinkUnderCamelMainTest {

    private final WireMockServer dingtalk = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private final Main main = new Main();

    @AfterEach
    void stop() {
        main.stop();
        dingtalk.stop();
    }

    @Test
    void aPlainYamlRouteSendsThroughTheKamelet(@TempDir Path folder) throws Exception {
        dingtalk.start();
        dingtalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        Path route = folder.resolve("alerts.camel.yaml");
        Files.writeString(route, """
                - route:
                    id: alerts
                    from:
                      uri: direct:alert
                      steps:
                        - to: "kamelet:dingtalk-sink?accessToken=RAW(main-token)&secret=RAW(SECmain)&keyword=RAW(告警)&atMobiles=13800000001&baseUrl=RAW(%s)"
                """.formatted(dingtalk.baseUrl()));
        main.addOverrideProperty("camel.main.routes-include-pattern", "file:" + route);
        main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        main.start();

        main.getCamelContext().createProducerTemplate().requestBody("direct:alert", "### Deploy done\n\nv1.2 is live");

        List<LoggedRequest> requests = dingtalk.findAll(postRequestedFor(urlPathEqualTo("/robot/send")));
        assertThat(requests).hasSize(1);
        String timestamp = DingTalkSinkKameletTest.query(requests.get(0)).get("timestamp");
        assertThat(requests.get(0).getUrl()).isEqualTo("/robot/send?access_token=main-token&timestamp=" + timestamp
                + "&sign=" + URLEncoder.encode(DingTalkSinkKameletTest.sign(timestamp, "SECmain"), StandardCharsets.UTF_8));
        assertThat(requests.get(0).getBodyAsString()).isEqualTo("{\"msgtype\":\"markdown\",\"markdown\":{"
                + "\"title\":\"【告警】Deploy done\",\"text\":\"### Deploy done\\n\\nv1.2 is live\\n\\n@13800000001\"},"
                + "\"at\":{\"atMobiles\":[\"13800000001\"],\"atUserIds\":[],\"isAtAll\":false}}");
    }
}
