#!/usr/bin/env bash
# Where the service's CPU goes, layer by layer, in one run on an idle machine: the same load (wrk -t2, a
# new event per request, bench/post.lua) on
#   1. the JDK floor (bench/FloorServer.java: read the body, write + fsync a file, 202),
#   2. the Camel floor (bench/CamelFloor.java: the same work in one Camel route on camel-main's Vert.x),
#   3. the service with its robots suspended (webhooks alone: verify, normalise, accept once, outbox),
#   4. its robots resumed with nothing posted (delivery alone: the backlog of 3 drained),
#   5. the service whole (webhooks with the 4 robots delivering beside them, as bench/run.sh).
# Prints a table: req/s and tail at 32 and 4 connections, CPU per alert (the process's user + system time
# over the alerts of that phase), each req/s as a share of the JDK floor's. Results go to stdout only.
#   bench/layers.sh                      the service under the camel-main runtime (CDS=1 deploy/camel-main.sh)
#   SERVICE_COMMAND="java @jvm.options -jar target/sentry-dingtalk-camel-0.1.0-SNAPSHOT.jar" bench/layers.sh
# Build first: mvn -B package -DskipTests, deploy/camel-main.sh train. DURATION (20s) per measured phase.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-20s}
SERVICE_COMMAND=${SERVICE_COMMAND:-env CDS=1 deploy/camel-main.sh}
export ROBOTS=4 PAYLOAD=src/test/resources/sentry/event_alert.triggered.json
WORK=$(mktemp -d); PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; sleep 1; rm -rf "$WORK"' EXIT
FLOOR=18981; CAMEL=18982; PORT=18983; DT=18984
ticks=$(getconf CLK_TCK)
[ -s target/camel-main/classpath ] || { echo "bench/layers.sh: run deploy/camel-main.sh train first" >&2; exit 1; }

# wrk's RESULT line for URL at CONNS connections; CPU_PID's user+system ms per request appended as cpu_ms=.
measure() { # url conns
  local before after r n
  before=$(awk '{print $14 + $15}' /proc/$CPU_PID/stat)
  r=$(wrk -t2 -c"$2" -d"$DURATION" -s bench/post.lua "$1" | grep RESULT)
  after=$(awk '{print $14 + $15}' /proc/$CPU_PID/stat)
  n=$(echo "$r" | tr ' ' '\n' | sed -n 's/^requests=//p')
  echo "$r cpu_ms=$(python3 -c "print(round(($after - $before) * 1000 / $ticks / $n, 2))")"
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
until_up() { until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H 'Sentry-Hook-Resource: event_alert' -H "Request-ID: up-$RANDOM$RANDOM" --data-binary @$PAYLOAD "$1")" = 202 ]; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "bench/layers.sh: the server on $1 ended; logs in $WORK" >&2; trap - EXIT; exit 1; }
    sleep 0.2; done; }
backlog() { find "$WORK/data/outbox" -name '*.json' | wc -l; }
robots() { # suspend | resume: a robot that did not answer 200 would make "webhooks alone" include its delivery
  for i in 1 2 3 4; do curl -sf -o /dev/null -X POST -H 'Authorization: Bearer bench-admin' "http://127.0.0.1:$PORT/admin/robots/bench-$i/$1" \
    || { echo "bench/layers.sh: POST /admin/robots/bench-$i/$1 failed" >&2; exit 1; }; done; }
declare -A R

# 1, 2: the floors, first, on a file system the service has not just deleted from (bench/results.md, fourth session)
java -Dsun.net.httpserver.nodelay=true bench/FloorServer.java $FLOOR "$WORK/floor" > "$WORK/floor.log" 2>&1 & PIDS+=($!); CPU_PID=$!
until_up http://127.0.0.1:$FLOOR/webhooks/sentry
wrk -t2 -c32 -d10s -s bench/post.lua http://127.0.0.1:$FLOOR/webhooks/sentry > /dev/null
R[jdk32]=$(measure http://127.0.0.1:$FLOOR/webhooks/sentry 32); R[jdk4]=$(measure http://127.0.0.1:$FLOOR/webhooks/sentry 4)
kill $CPU_PID
mkdir "$WORK/camel-floor"
(cd "$WORK/camel-floor" && exec java @"$ROOT/deploy/camel-main/jvm.options" -cp "$(cat "$ROOT/target/camel-main/classpath")" \
  "$ROOT/bench/CamelFloor.java" $CAMEL "$WORK/camel-floor/files" > "$WORK/camel-floor.log" 2>&1) & PIDS+=($!)
until_up http://127.0.0.1:$CAMEL/webhooks/sentry
CPU_PID=$(pgrep -f "CamelFloor.java $CAMEL" | head -1)
wrk -t2 -c32 -d10s -s bench/post.lua http://127.0.0.1:$CAMEL/webhooks/sentry > /dev/null
R[camel32]=$(measure http://127.0.0.1:$CAMEL/webhooks/sentry 32); R[camel4]=$(measure http://127.0.0.1:$CAMEL/webhooks/sentry 4)
kill $CPU_PID

# 3-5: the service, 4 signed robots, the rate limit lifted, a fast DingTalk stand-in
java -Dsun.net.httpserver.nodelay=true bench/FastDingTalk.java $DT > "$WORK/dingtalk.log" 2>&1 & PIDS+=($!)
args=(); for i in 1 2 3 4; do args+=("--dingtalk.robots[$((i-1))].name=bench-$i" "--dingtalk.robots[$((i-1))].access-token=bench-token-$i"
  "--dingtalk.robots[$((i-1))].projects=bench-$i" "--dingtalk.robots[$((i-1))].secret=SECbench$i"); done
$SERVICE_COMMAND --server.port=$PORT --notify.data-dir="$WORK/data" --dingtalk.base-url=http://127.0.0.1:$DT "${args[@]}" \
  --dingtalk.rate-limit.max-messages=100000000 --admin.token=bench-admin > "$WORK/service.log" 2>&1 & PIDS+=($!)
URL=http://127.0.0.1:$PORT/webhooks/sentry
until_up $URL
CPU_PID=$(pgrep -f "java.*server.port=$PORT" | head -1)
# Webhooks alone first: on this machine's ext4 (no journal), creating files within about a minute of
# many deletions is slow, and delivery deletes each delivered alert's file.
robots suspend
wrk -t2 -c32 -d10s -s bench/post.lua "$URL" > /dev/null
R[intake32]=$(measure "$URL" 32); R[intake4]=$(measure "$URL" 4)
held=$(backlog); before=$(awk '{print $14 + $15}' /proc/$CPU_PID/stat); t0=$(date +%s.%N)
robots resume
while [ "$(backlog)" != 0 ]; do sleep 0.1; done
after=$(awk '{print $14 + $15}' /proc/$CPU_PID/stat)
R[delivery]="msgs=$held rate=$(python3 -c "print(round($held / ($(date +%s.%N) - $t0)))") cpu_ms=$(python3 -c "print(round(($after - $before) * 1000 / $ticks / $held, 2))")"
sleep 60 # past the deletions of the drain (above)
wrk -t2 -c32 -d10s -s bench/post.lua "$URL" > /dev/null
R[whole32]=$(measure "$URL" 32); R[whole4]=$(measure "$URL" 4)

row() { # label key32 key4
  local a=${R[$2]} b=${R[$3]}
  echo "| $1 | $(field "$a" rps) | $(field "$a" p99_ms) / $(field "$a" p999_ms) | $(field "$a" cpu_ms) | $(field "$b" rps) | $(field "$b" p99_ms) | $(field "$b" cpu_ms) | $(python3 -c "print(round($(field "$a" rps) / $(field "${R[jdk32]}" rps), 2))") |"
}
echo
echo "| layer ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $(nproc) cores, DURATION=$DURATION) | req/s, 32 conns | p99 / p99.9 ms | CPU ms per alert | req/s, 4 conns | p99 ms | CPU ms per alert | req/s at 32 / JDK floor |"
echo "|---|---|---|---|---|---|---|---|"
row "JDK floor: read, write + fsync a file, 202" jdk32 jdk4
row "Camel floor: the same in one route on camel-main's Vert.x" camel32 camel4
row "the service, robots suspended: webhooks alone" intake32 intake4
echo "| the service, robots resumed, nothing posted: delivery alone | $(field "${R[delivery]}" rate) messages/s ($(field "${R[delivery]}" msgs) drained) | – | $(field "${R[delivery]}" cpu_ms) | – | – | – | – |"
row "the service whole: webhooks, 4 robots delivering" whole32 whole4
echo
echo "(CPU: the process's user + system time over the phase's requests; the floors' include only the server's own.)"
