# From a plain clone, nothing built first:
#   docker build -t sentry-dingtalk-camel .
#   docker build --target runtime-camel-main -t sentry-dingtalk-camel:camel-main .   (without Spring Boot)
# Stages: jdk (Debian's JDK 17 + Maven) -> build (the jar, as Spring Boot layers; the camel-main runtime's
# class path; a jlinked Java runtime) -> java-base -> runtime-camel-main, runtime (the default target).
# dingtalk-stand-in is only a test double for deploy/.
# deploy/verify-image.sh builds, runs, kills and restarts this image (README, Deployment).

FROM debian:bookworm-slim AS jdk
RUN apt-get -o Acquire::Retries=5 update \
 && DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5 install -y --no-install-recommends \
      openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*

FROM jdk AS build
WORKDIR /src
# Dependencies and plugins first, by packaging a stub: this layer is downloaded again only when pom.xml
# changes, and the real build below runs offline. Behind a TLS-intercepting proxy, hand its CA (PEM) to
# Maven with --secret id=build-ca,src=proxy-ca.pem: trusted for this download only, never in the image.
COPY pom.xml ./
COPY deploy/camel-main/pom.xml deploy/camel-main/
RUN --mount=type=secret,id=build-ca \
    if [ -s /run/secrets/build-ca ]; then \
      cp /etc/ssl/certs/java/cacerts /tmp/trust \
      && csplit -s -z -f /tmp/build-ca- /run/secrets/build-ca '/-----BEGIN CERTIFICATE-----/' '{*}' \
      && for ca in /tmp/build-ca-*; do \
           keytool -importcert -noprompt -keystore /tmp/trust -storepass changeit -alias "${ca##*/}" \
             -file "$ca" >/dev/null || exit 1; \
         done \
      && export MAVEN_OPTS="-Djavax.net.ssl.trustStore=/tmp/trust"; \
    fi \
 && mkdir -p src/main/java && echo 'class Stub { public static void main(String[] a) {} }' > src/main/java/Stub.java \
 && mvn -B -ntp -q package -Dmaven.test.skip=true \
 && mvn -B -ntp -q -f deploy/camel-main/pom.xml dependency:copy-dependencies -DoutputDirectory=/camel-main/lib \
      -Dcamel.version="$(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' pom.xml | head -1)" \
 && rm -rf src target /tmp/trust /tmp/build-ca-*
COPY src/main src/main
RUN mvn -B -ntp -q -o package -Dmaven.test.skip=true \
 && java -Djarmode=tools -jar target/sentry-dingtalk-camel-*.jar extract --layers \
      --application-filename app.jar --destination /layers \
 && jar cf /camel-main/app.jar -C target/classes .
# Only the modules the service needs, found with
#   jdeps --ignore-missing-deps --print-module-deps --multi-release 17 --class-path 'lib/*' app.jar lib/*.jar
# plus jdk.crypto.ec (TLS to oapi.dingtalk.com). Debian's JDK keeps its CA certificates outside the
# JDK, so the runtime gets a copy of them.
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,\
java.prefs,java.rmi,java.scripting,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.unsupported,\
jdk.crypto.ec \
      --strip-java-debug-attributes --no-header-files --no-man-pages --compress=2 --output /opt/java \
 && cp --remove-destination /etc/ssl/certs/java/cacerts /opt/java/lib/security/cacerts

FROM jdk AS dingtalk-stand-in
COPY deploy/DingTalkStandIn.java /stand-in/
USER nobody
EXPOSE 9000
ENTRYPOINT ["java", "/stand-in/DingTalkStandIn.java", "9000"]

FROM debian:bookworm-slim AS java-base
COPY --from=build /opt/java /opt/java
# LANG: Java 17 takes its default charset (logs, files) from the locale, which is ASCII without one.
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:$PATH \
    LANG=C.UTF-8 \
    NOTIFY_DATA_DIR=/app/data
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin sentry-dingtalk \
 && mkdir -p /app/data && chown sentry-dingtalk /app/data
WORKDIR /app
# Outboxes, dead letters, seen deliveries: keep them on a volume so nothing accepted is lost.
VOLUME /app/data
EXPOSE 8080

# The service without Spring Boot (README, "Without Spring Boot"): the same routes under camel-main and
# Vert.x. deploy/verify-image.sh measured it ready 3-5 s after the container started and at 113 MB after an
# alert (the jar's image: 177 MB). Health at /observe/health/ready, metrics at /observe/metrics.
FROM java-base AS runtime-camel-main
COPY --from=build /camel-main/lib/ lib/
COPY deploy/camel-main/jvm.options ./
COPY routes routes/
COPY templates templates/
COPY kamelets kamelets/
COPY --from=build /camel-main/app.jar ./
# --build-arg CDS=app: a class data sharing archive from a training run (start, warm up, exit), as the
# jar's image below offers; the port is fixed because the warm-up posts to the service's own port.
ARG CDS=none
RUN if [ "$CDS" = app ]; then \
      java -Xshare:dump > /dev/null && \
      NOTIFY_DATA_DIR=/tmp/training java @jvm.options -XX:ArchiveClassesAtExit=app.jsa -cp "app.jar:lib/*" \
        io.github.sentrydingtalk.CamelMainRuntime --notify.exit-after-warm-up=true --server.port=18080 \
        > /tmp/training.log 2>&1 || { cat /tmp/training.log; exit 1; }; \
      rm -rf /tmp/training /tmp/training.log; echo '-XX:SharedArchiveFile=app.jsa' > cds.options; \
    else echo '# no archive of the service (docker build --build-arg CDS=app)' > cds.options; fi
USER 10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /observe/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "@cds.options", "@jvm.options", "-cp", "app.jar:lib/*", "io.github.sentrydingtalk.CamelMainRuntime"]

FROM java-base AS runtime
# Least to most often changed: a code change rebuilds only the last, small layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY jvm.options ./
COPY routes routes/
COPY templates templates/
COPY kamelets kamelets/
COPY --from=build /layers/application/ ./
# Class data sharing (README, Startup). Off by default: the JDK's own archive alone measured no gain
# beyond noise for 12 MB. --build-arg CDS=app makes the JDK's archive (the base) and a training run: the
# service starts, warms up and exits, and the ~12,000 classes it loaded go into app.jsa, which each start
# maps instead of loading and verifying them (about 40 % less CPU to the first webhook; the image grows
# by about 80 MB, past verify-image's limit). The training run's data directory is set by the variable, as
# Camel's placeholders take NOTIFY_DATA_DIR over a --notify.data-dir argument: with the argument it wrote
# root-owned files into /app/data and the image could not start.
ARG CDS=none
RUN if [ "$CDS" = app ]; then \
      java -Xshare:dump > /dev/null && \
      NOTIFY_DATA_DIR=/tmp/training java @jvm.options -XX:ArchiveClassesAtExit=app.jsa -jar app.jar \
        --notify.exit-after-warm-up=true --server.port=0 > /tmp/training.log 2>&1 \
        || { cat /tmp/training.log; exit 1; }; \
      rm -rf /tmp/training /tmp/training.log; echo '-XX:SharedArchiveFile=app.jsa' > cds.options; \
    else echo '# no archive of the service (docker build --build-arg CDS=app)' > cds.options; fi
USER 10001
# bash's /dev/tcp: the image needs no curl. Ready = routes running, warmed up, data directory writable.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "@cds.options", "@jvm.options", "-jar", "app.jar"]
