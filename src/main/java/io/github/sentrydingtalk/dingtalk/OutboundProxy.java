package io.github.sentrydingtalk.dingtalk;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way out to DingTalk when a corporate network allows it only through an HTTP proxy: the
 * {@code proxy} property ({@code http://[user:password@]host:port}), else the standard environment
 * variables ({@code HTTPS_PROXY} for an https base URL, {@code HTTP_PROXY} for http, lower-case
 * names too) with {@code NO_PROXY}. It sets Camel's {@code http} and {@code https} components, so every
 * request to DingTalk (the dingtalk-sink Kamelet's included) goes through the proxy, which sees the
 * CONNECT only for https. The password is given to the HTTP client and never logged.
 */
public class OutboundProxy implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundProxy.class);

    /** Where it goes, for the HTTP client and for a log line (without the password). */
    public record Settings(String host, int port, String user, String password, String nonProxyHosts, String source) {

        @Override
        public String toString() {
            return "http://" + (user == null ? "" : user + ":***@") + host + ":" + port + " (" + source + ")"
                    + (nonProxyHosts == null ? "" : ", not for " + nonProxyHosts);
        }
    }

    private String proxy;
    private String baseUrl = "https://oapi.dingtalk.com";
    private UnaryOperator<String> environment = System::getenv;
    private CamelContext camelContext;

    /** {@code dingtalk.http.proxy}; empty: the environment decides. */
    public void setProxy(String proxy) {
        this.proxy = proxy;
    }

    /** {@code dingtalk.base-url}: its scheme picks HTTPS_PROXY or HTTP_PROXY. */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** For tests: the environment variables to read. */
    public void setEnvironment(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** The bean's init method: sets both HTTP components before any endpoint to DingTalk exists. */
    public void configureHttpComponents() {
        Settings settings = settings();
        if (settings == null) {
            return;
        }
        for (String scheme : List.of("http", "https")) {
            HttpComponent component = camelContext.getComponent(scheme, HttpComponent.class);
            component.setProxyHost(settings.host());
            component.setProxyPort(settings.port());
            // never for 127.0.0.1: the service's own warm-up call to itself (routes/warm-up.camel.yaml)
            component.setNonProxyHosts(settings.nonProxyHosts() == null ? "127.0.0.1" : "127.0.0.1," + settings.nonProxyHosts());
            if (settings.user() != null) {
                component.setProxyAuthMethod("Basic");
                component.setProxyAuthUsername(settings.user());
                component.setProxyAuthPassword(settings.password());
            }
        }
        LOG.info("DingTalk is reached through the proxy {}", settings);
    }

    /** The proxy to use, or null for none. */
    public Settings settings() {
        if (proxy != null && !proxy.isBlank()) {
            return parse(proxy.strip(), "dingtalk.http.proxy", null);
        }
        boolean https = baseUrl == null || baseUrl.strip().toLowerCase(Locale.ROOT).startsWith("https:");
        String name = https ? "HTTPS_PROXY" : "HTTP_PROXY";
        String fromEnvironment = variable(name);
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            return null;
        }
        String noProxy = variable("NO_PROXY");
        if (noProxy != null && noProxy.strip().equals("*")) {
            return null;
        }
        return parse(fromEnvironment.strip(), name, nonProxyHosts(noProxy));
    }

    private String variable(String name) {
        String value = environment.apply(name);
        return value != null ? value : environment.apply(name.toLowerCase(Locale.ROOT));
    }

    private static Settings parse(String url, String source, String nonProxyHosts) {
        URI uri;
        try {
            // a bare host:port, as some set HTTPS_PROXY, is an http proxy
            uri = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must look like http://[user:password@]host:port", e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(source + " must look like http://[user:password@]host:port (an http proxy)");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decoded(parts[0]);
            password = parts.length > 1 ? decoded(parts[1]) : "";
        }
        return new Settings(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, user, password, nonProxyHosts, source);
    }

    private static String decoded(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * NO_PROXY in the HTTP client's terms: {@code example.com} and {@code .example.com} both mean the
     * domain and every host under it; a port after a host is dropped.
     */
    static String nonProxyHosts(String noProxy) {
        if (noProxy == null || noProxy.isBlank()) {
            return null;
        }
        List<String> hosts = new ArrayList<>();
        for (String entry : noProxy.split(",")) {
            String host = entry.strip().toLowerCase(Locale.ROOT);
            if (host.startsWith("*.")) {
                host = host.substring(2);
            } else if (host.startsWith(".")) {
                host = host.substring(1);
            }
            if (!host.startsWith("[") && host.indexOf(':') == host.lastIndexOf(':') && host.contains(":")) {
                host = host.substring(0, host.indexOf(':'));
            }
            if (!host.isEmpty()) {
                hosts.add(host);
                hosts.add("*." + host);
            }
        }
        return hosts.isEmpty() ? null : String.join(",", hosts);
    }
}
