#!/usr/bin/env bash
# Startup to the first routed webhook, and the CPU time (user+sys) the JVM spent until then, which a busy
# machine disturbs far less than the wall time. Run from anywhere after `mvn -B package -DskipTests`:
#   bench/startup.sh [runs] [java command...]     default: 3 runs of java @jvm.options -jar target/<jar>
#   bench/startup.sh 5 java -XX:SharedArchiveFile=app.jsa @jvm.options -jar target/extracted/<jar>
# Each start gets 4 robots (as bench/run.sh) and a fresh data directory; POST /webhooks/sentry is tried
# every 20 ms until it answers 202. Prints one line per start and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}; shift || true
if [ $# -eq 0 ]; then set -- java @jvm.options -jar "$(ls target/sentry-dingtalk-camel-*.jar | head -1)"; fi
PORT=${PORT:-18810}
PAYLOAD=src/test/resources/sentry/event_alert.triggered.json
post_once() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H 'Sentry-Hook-Resource: event_alert' -H "Request-ID: start-$RANDOM$RANDOM" --data-binary @"$PAYLOAD" \
  "http://127.0.0.1:$PORT/webhooks/sentry" 2>/dev/null || true; }
robot_args=()
for i in 1 2 3 4; do
  robot_args+=("--dingtalk.robots[$((i-1))].name=bench-$i" "--dingtalk.robots[$((i-1))].access-token=bench-token-$i"
               "--dingtalk.robots[$((i-1))].projects=bench-$i")
done
walls=(); cpus=()
for run in $(seq 1 "$RUNS"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  "$@" --server.port=$PORT --notify.data-dir="$data" --dingtalk.base-url=http://127.0.0.1:9 "${robot_args[@]}" \
    > "$data.log" 2>&1 & pid=$!
  until [ "$(post_once)" = "202" ]; do
    kill -0 $pid 2>/dev/null || { tail -20 "$data.log"; exit 1; }
    sleep 0.02
  done
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$data" "$data.log"
  echo "start $run: ${wall} ms to the first 202, ${cpu} ms of CPU"
  walls+=("$wall"); cpus+=("$cpu")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median of $RUNS: $(median "${walls[@]}") ms to the first 202, $(median "${cpus[@]}") ms of CPU"
