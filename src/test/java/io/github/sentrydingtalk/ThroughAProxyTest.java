package io.github.sentrydingtalk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A corporate network: DingTalk only through a proxy that wants a user and password. */
@ExtendWith(OutputCaptureExtension.class)
class ThroughAProxyTest extends ServiceTestSupport {

    static final String PASSWORD = "s3cr@t-proxy";
    static final WireMockServer DINGTALK = startAcceptingStandIn();
    // A real forwarding proxy (it forwards what it serves to the request's own host), asking for credentials first.
    static final WireMockServer PROXY = startStandIn(WireMockConfiguration.options().dynamicPort().enableBrowserProxying(true));
    static final Path DATA_DIR = tempDataDir();

    static {
        PROXY.stubFor(any(anyUrl()).withHeader("Proxy-Authorization", absent())
                .willReturn(aResponse().withStatus(407).withHeader("Proxy-Authenticate", "Basic realm=\"corp\"")));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useStandIn(registry, DINGTALK, DATA_DIR);
        registry.add("dingtalk.robots[0].name", () -> "ops");
        registry.add("dingtalk.robots[0].access-token", () -> "proxied-token");
        registry.add("dingtalk.robots[0].secret", () -> "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd");
        registry.add("dingtalk.http.proxy", () -> "http://alice:s3cr%40t-proxy@127.0.0.1:" + PROXY.port());
    }

    @Test
    void everyMessageGoesThroughTheProxyWithItsCredentialsAndThePasswordIsNeverLogged(CapturedOutput output) {
        postFixture("event_alert.triggered.json", "event_alert");

        awaitMessages(DINGTALK, "proxied-token", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROXY.getAllServeEvents().size() >= 2);
        assertThat(PROXY.getAllServeEvents()).as("only DingTalk's requests (the warm-up's call to 127.0.0.1 goes direct)").hasSize(2);
        // newest first, as WireMock lists them
        List<ServeEvent> throughProxy = new java.util.ArrayList<>(PROXY.getAllServeEvents());
        java.util.Collections.reverse(throughProxy);
        // first without credentials (407, as a real proxy answers), then again with them, forwarded to DingTalk
        assertThat(throughProxy.get(0).getResponse().getStatus()).isEqualTo(407);
        assertThat(throughProxy.get(1).getRequest().getAbsoluteUrl()).startsWith(DINGTALK.baseUrl() + "/robot/send?access_token=proxied-token&timestamp=")
                .contains("&sign=");
        assertThat(throughProxy.get(1).getRequest().getHeader("Proxy-Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(throughProxy.get(1).getResponse().getStatus()).isEqualTo(200);

        assertThat(output.getAll()).contains("DingTalk is reached through the proxy http://alice:***@127.0.0.1:" + PROXY.port())
                .doesNotContain(PASSWORD).doesNotContain("s3cr%40t");
    }
}
