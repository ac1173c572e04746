package io.github.sentrydingtalk.dingtalk;

import java.util.Map;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which proxy, from the property or the environment; and, through the Kamelet, what really goes through it. */
class OutboundProxyTest {

    private final WireMockServer dingtalk = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    // A real forwarding proxy: what it serves it forwards to the request's own host.
    private final WireMockServer proxy = new WireMockServer(WireMockConfiguration.options().dynamicPort()
            .enableBrowserProxying(true));
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        dingtalk.start();
        proxy.start();
        dingtalk.stubFor(post(urlPathEqualTo("/robot/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        dingtalk.stop();
        proxy.stop();
    }

    @Test
    void thePropertyWinsOverTheEnvironmentAndItsPasswordIsNeverShown() {
        OutboundProxy outbound = outbound("http://alice:s3cr%40t@proxy.corp:3128", Map.of("HTTPS_PROXY", "http://other:8080"));
        OutboundProxy.Settings settings = outbound.settings();
        assertThat(settings).isEqualTo(new OutboundProxy.Settings("proxy.corp", 3128, "alice", "s3cr@t", null, "dingtalk.http.proxy"));
        assertThat(settings.toString()).isEqualTo("http://alice:***@proxy.corp:3128 (dingtalk.http.proxy)").doesNotContain("s3cr");
    }

    @Test
    void withoutThePropertyTheEnvironmentDecidesByTheBaseUrlsScheme() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "proxy.corp:3128", "http_proxy", "http://plain:8080",
                "no_proxy", "localhost, .internal.corp,10.0.0.1:8443");
        assertThat(outbound("", env).settings()).isEqualTo(new OutboundProxy.Settings("proxy.corp", 3128, null, null,
                "localhost,*.localhost,internal.corp,*.internal.corp,10.0.0.1,*.10.0.0.1", "HTTPS_PROXY"));
        OutboundProxy plain = outbound(null, env);
        plain.setBaseUrl("http://dingtalk.test");
        assertThat(plain.settings().host()).isEqualTo("plain");
        assertThat(plain.settings().source()).isEqualTo("HTTP_PROXY");

        assertThat(outbound("", Map.of()).settings()).as("nothing set: direct").isNull();
        assertThat(outbound("", Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", "*")).settings()).as("NO_PROXY=*").isNull();
    }

    @Test
    void aProxyThatIsNoHttpUrlStopsTheStartWithTheSettingsName() {
        assertThatThrownBy(() -> outbound("socks5://proxy.corp:1080", Map.of()).settings())
                .hasMessage("dingtalk.http.proxy must look like http://[user:password@]host:port (an http proxy)");
    }

    @Test
    void theKameletsMessageGoesThroughTheProxyFromTheEnvironmentUnlessNoProxyNamesTheHost() throws Exception {
        send(Map.of("HTTP_PROXY", proxy.baseUrl(), "NO_PROXY", "dingtalk.example"));
        assertThat(dingtalk.getAllServeEvents()).hasSize(1);
        assertThat(proxy.getAllServeEvents()).singleElement().satisfies(event ->
                assertThat(event.getRequest().getAbsoluteUrl()).startsWith(dingtalk.baseUrl() + "/robot/send?access_token=t1"));

        camel.stop();
        proxy.resetRequests();
        send(Map.of("HTTP_PROXY", proxy.baseUrl(), "NO_PROXY", "localhost,127.0.0.1"));
        assertThat(dingtalk.getAllServeEvents()).hasSize(2);
        assertThat(proxy.getAllServeEvents()).as("NO_PROXY names DingTalk's host: direct").isEmpty();
    }

    private void send(Map<String, String> env) throws Exception {
        camel = new DefaultCamelContext();
        camel.getComponent("kamelet", KameletComponent.class).setLocation("file:kamelets");
        OutboundProxy outbound = outbound(null, env);
        outbound.setBaseUrl(dingtalk.baseUrl());
        outbound.setCamelContext(camel);
        outbound.configureHttpComponents();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alert").to("kamelet:dingtalk-sink?accessToken=t1&baseUrl=" + dingtalk.baseUrl());
            }
        });
        camel.start();
        camel.createProducerTemplate().requestBody("direct:alert", "### Disk full");
    }

    private static OutboundProxy outbound(String property, Map<String, String> env) {
        OutboundProxy outbound = new OutboundProxy();
        outbound.setProxy(property);
        outbound.setEnvironment(env::get);
        return outbound;
    }
}
