package io.github.sentrydingtalk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.sentrydingtalk.security.RequestBodyLimit;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service without Spring Boot: routes/ under camel-main and its Vert.x HTTP server, configured by the
 * same application.properties. Around the routes it adds what the Spring Boot jar's {@link Application}
 * adds there: the intake gate (503 while starting, warming up or stopping), the warm-up, the body-size
 * limit before the body is read, list settings from environment variables as Spring Boot reads them
 * ({@link IndexedEnvironmentVariables}), and Camel's health and Prometheus metrics on the same port
 * ({@code /observe/health}, {@code /observe/health/ready}, {@code /observe/health/live}, {@code /observe/metrics}).
 * <pre>java -cp … io.github.sentrydingtalk.CamelMainRuntime [--name=value …]</pre>
 * (deploy/camel-main.sh builds the class path and starts it.)
 */
public final class CamelMainRuntime {

    /**
     * What the jar has in other forms (server.port, /actuator). Defaults only: application.properties,
     * environment variables and arguments win. Per-exchange timers are off as in the jar
     * ({@link Application#SPRING_ONLY_DEFAULTS}): nobody reads them and they cost CPU on every alert.
     */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("camel.server.enabled", "true"),
            Map.entry("camel.server.port", "{{server.port}}"),
            // the port the warm-up posts to (Spring Boot sets it to the port Tomcat took)
            Map.entry("local.server.port", "{{server.port}}"),
            Map.entry("camel.management.enabled", "true"),
            Map.entry("camel.management.port", "{{server.port}}"),
            Map.entry("camel.management.health-check-enabled", "true"),
            Map.entry("camel.management.metrics-enabled", "true"),
            // each check's name and state, as the jar's /actuator/health shows them
            Map.entry("camel.health.exposure-level", "full"),
            Map.entry("camel.metrics.enabled", "true"),
            Map.entry("camel.metrics.enable-exchange-event-notifier", "false"),
            Map.entry("camel.metrics.route-policy-level", "context"));

    /** Where webhooks and admin calls come in: the paths behind the gate. */
    static final List<String> GATED_PATHS = List.of("/webhooks/*", "/admin/*");

    private CamelMainRuntime() {
    }

    /** {@code --name=value} arguments, as the jar takes them. */
    public static void main(String[] args) throws Exception {
        Map<String, String> overrides;
        try {
            overrides = settings(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Main main = create(overrides);
        main.run();
        if (main.getExitCode() != 0) {
            System.exit(main.getExitCode()); // Vert.x's threads would keep the JVM up after a failed start
        }
    }

    /**
     * The settings in {@code --name=value} arguments. One that is not of that form is named by its
     * position only: it may be a secret whose {@code --name=} was split off by a stray space.
     */
    static Map<String, String> settings(String[] args) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (!args[i].startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("argument " + (i + 1) + " is not --name=value (not shown: it may hold a secret)");
            }
            settings.put(args[i].substring(2, eq), args[i].substring(eq + 1));
        }
        return settings;
    }

    /**
     * A runtime not yet started. Run it with {@code run()}, which returns after SIGTERM or {@code completed()}:
     * camel-main calls the listeners that open and close the gate only from there, not from {@code start()}.
     */
    public static Main create(Map<String, String> overrides) {
        EndableMain main = new EndableMain();
        DEFAULTS.forEach(main::addInitialProperty);
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new Intake(main));
        return main;
    }

    /**
     * camel-main that can end its own run with an exit code. camel-main logs an exception thrown after the
     * start and goes on running: a service that never opened its gate, or never listened, would look alive.
     */
    static final class EndableMain extends Main {
        void endWithExitCode(int code) {
            exitCode.set(code);
            completed();
        }
    }

    /** The gate, the body limit and the warm-up, at the points of camel-main's lifecycle where each belongs. */
    static final class Intake extends MainListenerSupport {
        private static final Logger LOG = LoggerFactory.getLogger(CamelMainRuntime.class);
        private final EndableMain main;
        private VertxIntakeGate gate;
        private long maxBodyBytes;

        Intake(EndableMain main) {
            this.main = main;
        }

        /** Before the beans are made: robots and silences may come from DINGTALK_ROBOTS_0_… variables. */
        @Override
        public void beforeConfigure(BaseMainSupport main) {
            main.getCamelContext().getPropertiesComponent().addPropertiesSource(new IndexedEnvironmentVariables(System.getenv()));
        }

        /** Configured, nothing started: the server does not listen yet, so this is the moment to mount the gate. */
        @Override
        public void afterConfigure(BaseMainSupport main) {
            CamelContext camel = main.getCamelContext();
            PropertiesComponent properties = camel.getPropertiesComponent();
            MainHttpServer server = camel.hasService(MainHttpServer.class);
            if (server == null) {
                throw new IllegalStateException("camel.server.enabled=false: the service needs its HTTP server");
            }
            maxBodyBytes = RequestBodyLimit.parseSize(properties.resolveProperty("sentry.max-body-size").orElseThrow());
            gate = new VertxIntakeGate(Integer.parseInt(properties.resolveProperty("notify.retry-after").orElseThrow()), maxBodyBytes);
            AuthenticationConfig mounted = server.getConfiguration().getAuthenticationConfig();
            for (String path : GATED_PATHS) {
                AuthenticationConfigEntry entry = new AuthenticationConfigEntry();
                entry.setPath(path);
                entry.setAuthenticationProviderFactory(vertx -> null);
                entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
                    @Override
                    public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T none) {
                        return gate;
                    }
                });
                mounted.getEntries().add(entry);
            }
            mounted.setEnabled(true);
            // The routes that do not stream their body (admin) get Vert.x's own limit too.
            server.setMaxBodySize(maxBodyBytes);
            HealthCheckHelper.getHealthCheckRegistry(camel).register(gate.readiness());
        }

        /**
         * The routes run: check the server listens, answer Vert.x's own 413 the way the routes answer theirs,
         * warm up, let webhooks in. A failure ends the run with exit code 1, the gate still closed.
         */
        @Override
        public void afterStart(BaseMainSupport started) {
            CamelContext camel = started.getCamelContext();
            MainHttpServer server = camel.hasService(MainHttpServer.class);
            // Vert.x reports a port it could not bind only in a log line, and Camel starts the routes all the same.
            if (!reachesGate(server.getConfiguration().getBindHost(), server.getPort())) {
                LOG.error("Not started: port {} does not reach this service (Vert.x could not listen on it: in use?)", server.getPort());
                main.endWithExitCode(1);
                return;
            }
            VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(server.getPort()))
                    .errorHandler(413, request -> gate.refuseTooLarge(request.response()));
            try (ProducerTemplate template = camel.createProducerTemplate()) {
                template.sendBody("direct:warm-up", null);
            } catch (Exception e) {
                LOG.error("Not started: the warm-up failed", e);
                main.endWithExitCode(1);
                return;
            }
            gate.open();
            // a training run: the classes it loaded go into a class data sharing archive (Dockerfile, CDS=app)
            if (camel.getPropertiesComponent().resolveProperty("notify.exit-after-warm-up").map(Boolean::parseBoolean).orElse(false)) {
                main.endWithExitCode(0);
            }
        }

        /** True when a request to the port, sent while the gate is still closed, is refused by this gate. */
        private boolean reachesGate(String host, int port) {
            long before = gate.refusedWhileClosed();
            boolean anyHost = host == null || host.equals("0.0.0.0") || host.equals("::");
            try (Socket probe = new Socket()) {
                // generous: a false "not listening" would make a start under an alert storm fail and restart
                probe.connect(new InetSocketAddress(anyHost ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host), port), 10_000);
                probe.setSoTimeout(10_000);
                probe.getOutputStream().write("GET /webhooks/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                probe.getInputStream().read(); // the answer's first byte: the gate has counted the request by then
            } catch (IOException e) {
                return false;
            }
            return gate.refusedWhileClosed() > before;
        }

        /** Shutdown begins: new webhooks get 503 (Sentry retries them); those past the gate finish. */
        @Override
        public void beforeStop(BaseMainSupport main) {
            if (gate != null) {
                gate.close();
            }
        }
    }
}
