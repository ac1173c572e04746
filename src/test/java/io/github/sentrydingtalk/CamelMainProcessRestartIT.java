package io.github.sentrydingtalk;

import java.util.List;

/**
 * ProcessRestartIT's tests against the service without Spring Boot: {@link CamelMainRuntime} as its own
 * process (its JVM options from deploy/camel-main/jvm.options), started, killed with SIGKILL or stopped
 * with SIGTERM and started again on the same data directory. (deploy/camel-main.sh starts the same class
 * on the class path of deploy/camel-main/pom.xml; .ci/camel-main-check.sh runs that script.)
 */
class CamelMainProcessRestartIT extends ProcessRestartIT {

    @Override
    List<String> serviceCommand() {
        return List.of("java", "@deploy/camel-main/jvm.options", "-cp", System.getProperty("java.class.path"),
                CamelMainRuntime.class.getName(), "--camel.main.routes-reload-enabled=false");
    }

    @Override
    String readinessPath() {
        return "/observe/health/ready";
    }
}
