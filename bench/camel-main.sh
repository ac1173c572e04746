#!/usr/bin/env bash
# The service's routes under plain camel-main and its Vert.x HTTP server instead of the Spring Boot jar:
# what a smaller runtime gives (bench/results.md, fifth session). A measurement, not a way to run the
# service: it has no intake gate (a webhook that arrives before the routes have started gets 404, which
# Sentry does not retry), no warm-up, no /actuator (README, Performance).
#   bench/camel-main.sh [--name=value ...]   the jar's arguments (--server.port=N: camel.server.port)
#   bench/camel-main.sh train                a class data sharing archive from a short run (target/camel-main/app.jsa)
#   CDS=1 bench/camel-main.sh ...            starts with that archive
#   JVM_OPTIONS=file                         another JVM options file (default bench/camel-main/jvm.options)
#   SERVICE_COMMAND=bench/camel-main.sh bench/run.sh      the benchmark with this runtime
# From the repository root (routes/ are read from the working directory), after `mvn -B package -DskipTests`.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/camel-main
if [ ! -s $OUT/classpath ]; then
  mkdir -p $OUT
  version=$(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' pom.xml | head -1)
  mvn -B -q -f bench/camel-main/pom.xml -Dcamel.version="$version" dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$OUT/classpath" >&2
fi
# A jar rather than target/classes: class data sharing accepts only jars on the class path.
if [ ! -f $OUT/app.jar ] || [ -n "$(find target/classes -newer $OUT/app.jar -print -quit)" ]; then
  jar cf $OUT/app.jar -C target/classes .
fi
classpath="$OUT/app.jar:$(cat $OUT/classpath)"

if [ "${1:-}" = train ]; then
  # Start, take one alert (webhook, outbox, a robot's failed send), stop after 15 s; the JVM writes
  # the classes it loaded into the archive as it exits.
  rm -f $OUT/app.jsa; data=$(mktemp -d); port=18940
  java @"${JVM_OPTIONS:-bench/camel-main/jvm.options}" -XX:ArchiveClassesAtExit=$OUT/app.jsa -cp "$classpath" -Dcamel.server.enabled=true \
    -Dcamel.server.port=$port -Dcamel.main.duration-max-seconds=15 -Dnotify.data-dir="$data" \
    -Ddingtalk.base-url=http://127.0.0.1:9 '-Ddingtalk.robots[0].name=train' '-Ddingtalk.robots[0].access-token=train' \
    org.apache.camel.main.Main > "$data.log" 2>&1 & pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -H 'Sentry-Hook-Resource: event_alert' -H "Request-ID: train-$RANDOM" \
      --data-binary @src/test/resources/sentry/event_alert.triggered.json "http://127.0.0.1:$port/webhooks/sentry")" = 202 ]; do
    kill -0 $pid 2>/dev/null || { tail -20 "$data.log"; exit 1; }
    sleep 0.1
  done
  wait $pid; rm -rf "$data" "$data.log"
  ls -l $OUT/app.jsa
  exit 0
fi

props=(-Dcamel.server.enabled=true)
for arg in "$@"; do
  case "$arg" in
    --server.port=*) props+=("-Dcamel.server.port=${arg#--server.port=}") ;;
    --*=*) props+=("-D${arg#--}") ;;
    *) echo "bench/camel-main.sh: expected --name=value, got: $arg" >&2; exit 2 ;;
  esac
done
exec java @"${JVM_OPTIONS:-bench/camel-main/jvm.options}" ${CDS:+-XX:SharedArchiveFile=$OUT/app.jsa} -cp "$classpath" "${props[@]}" org.apache.camel.main.Main
