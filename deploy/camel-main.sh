#!/usr/bin/env bash
# The service without Spring Boot: routes/ under camel-main and its Vert.x HTTP server
# (io.github.sentrydingtalk.CamelMainRuntime; README, "Without Spring Boot"). Same settings, same routes,
# same data directory as the jar; health and metrics at /observe/health[/ready|/live] and /observe/metrics.
#   deploy/camel-main.sh [--name=value ...]   the jar's arguments (--server.port=8080, --dingtalk.robots[0].name=…)
#   deploy/camel-main.sh train                a class data sharing archive from a short run (target/camel-main/app.jsa;
#                                             app.aot, an ahead-of-time cache, when JAVA is 25 or later)
#   CDS=1 deploy/camel-main.sh ...            starts with that archive (2.3-3.1 s to the first webhook instead of 3-3.5)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java   another JVM (default: java on the PATH; 17 or later)
#   JVM_OPTIONS=file                          another JVM options file (default deploy/camel-main/jvm.options)
#   SERVICE_COMMAND="env CDS=1 deploy/camel-main.sh" bench/run.sh      the benchmark with this runtime
# From the repository root (routes/, kamelets/, templates/ are read from the working directory), after
# `mvn -B package -DskipTests`. The first start resolves the class path with Maven (deploy/camel-main/pom.xml).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/camel-main
if [ ! -s $OUT/classpath ] || [ deploy/camel-main/pom.xml -nt $OUT/classpath ]; then
  mkdir -p $OUT
  version=$(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' pom.xml | head -1)
  mvn -B -q -f deploy/camel-main/pom.xml -Dcamel.version="$version" dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$OUT/classpath" >&2
fi
[ -d target/classes/io ] || { echo "deploy/camel-main.sh: build first: mvn -B package -DskipTests" >&2; exit 1; }
# A jar rather than target/classes: class data sharing accepts only jars on the class path.
if [ ! -f $OUT/app.jar ] || [ -n "$(find target/classes -newer $OUT/app.jar -print -quit)" ]; then
  jar cf $OUT/app.jar -C target/classes .
fi
classpath="$OUT/app.jar:$(cat $OUT/classpath)"
main=io.github.sentrydingtalk.CamelMainRuntime
JAVA=${JAVA:-java}
# Java 25 replaced the class data sharing archive with an ahead-of-time cache (classes loaded and linked).
if [ "$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)" -ge 25 ]; then
  archive=$OUT/app.aot; write_archive=-XX:AOTCacheOutput=$archive; use_archive=-XX:AOTCache=$archive
else
  archive=$OUT/app.jsa; write_archive=-XX:ArchiveClassesAtExit=$archive; use_archive=-XX:SharedArchiveFile=$archive
fi

if [ "${1:-}" = train ]; then
  # Start, take one alert (webhook, outbox, a robot's failed send), stop after 15 s; the JVM writes
  # the classes it loaded into the archive as it exits.
  rm -f "$archive"; data=$(mktemp -d); port=18940
  "$JAVA" @"${JVM_OPTIONS:-deploy/camel-main/jvm.options}" "$write_archive" -cp "$classpath" $main \
    --server.port=$port --camel.main.duration-max-seconds=15 --camel.main.shutdown-timeout=1 --notify.data-dir="$data" \
    --dingtalk.base-url=http://127.0.0.1:9 '--dingtalk.robots[0].name=train' '--dingtalk.robots[0].access-token=train' \
    > "$data.log" 2>&1 & pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -H 'Sentry-Hook-Resource: event_alert' -H "Request-ID: train-$RANDOM" \
      --data-binary @src/test/resources/sentry/event_alert.triggered.json "http://127.0.0.1:$port/webhooks/sentry")" = 202 ]; do
    kill -0 $pid 2>/dev/null || { tail -20 "$data.log"; exit 1; }
    sleep 0.1
  done
  wait $pid; rm -rf "$data" "$data.log"
  ls -l "$archive"
  exit 0
fi

exec "$JAVA" @"${JVM_OPTIONS:-deploy/camel-main/jvm.options}" ${CDS:+"$use_archive"} -cp "$classpath" $main "$@"
