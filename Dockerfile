# Runtime image for the jar built by `mvn -B package -DskipTests`:
#   docker build -t sentry-dingtalk-camel .
# routes/, templates/ and the data directory can be mounted over the ones baked in.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app sentry-dingtalk \
    && mkdir -p /app/data && chown sentry-dingtalk /app/data
COPY target/sentry-dingtalk-camel-*.jar /app/app.jar
COPY routes /app/routes
COPY templates /app/templates
COPY jvm.options /app/jvm.options
ENV NOTIFY_DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 8080
USER 10001
# jvm.options: small heap, client compiler (see README, Performance); a container needs about 300 MB.
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/app.jar"]
