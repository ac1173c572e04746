#!/usr/bin/env bash
# Benchmark of the ack and delivery paths. Run from anywhere after `mvn -B package -DskipTests`:
#   bench/run.sh            (DURATION=20s by default; DURATION=60s bench/run.sh for steadier figures)
# Starts a fast local DingTalk stand-in (errcode 0), the floor server, and the service with one robot
# and the rate limit lifted; loads POST /webhooks/sentry with wrk at maximum rate and at ~500 req/s;
# prints a table and appends it, with the date and commit, to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
JAR=$(ls target/sentry-dingtalk-camel-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { echo "run 'mvn -B package -DskipTests' first"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }

WORK=$(mktemp -d)
PORT=18800; DT_PORT=18801; FLOOR_PORT=18802
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
export PAYLOAD=src/test/resources/sentry/event_alert.triggered.json

# nodelay: without it the JDK server and the client wait on each other (Nagle and delayed ACK, ~40 ms a request)
java -Dsun.net.httpserver.nodelay=true bench/FastDingTalk.java $DT_PORT > "$WORK/dingtalk.log" 2>&1 & PIDS+=($!)
java -Dsun.net.httpserver.nodelay=true bench/FloorServer.java $FLOOR_PORT "$WORK/floor" > "$WORK/floor.log" 2>&1 & PIDS+=($!)

post_once() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H 'Sentry-Hook-Resource: event_alert' -H "Request-ID: warm-$RANDOM$RANDOM" --data-binary @"$PAYLOAD" \
  "http://127.0.0.1:$1/webhooks/sentry" 2>/dev/null || true; }

start_ns=$(date +%s%N)
java -jar "$JAR" --server.port=$PORT --notify.data-dir="$WORK/data" \
  --dingtalk.base-url=http://127.0.0.1:$DT_PORT \
  '--dingtalk.robots[0].name=bench' '--dingtalk.robots[0].access-token=bench-token' \
  --dingtalk.rate-limit.max-messages=100000000 > "$WORK/service.log" 2>&1 & SERVICE=$!; PIDS+=($SERVICE)
until [ "$(post_once $PORT)" = "202" ]; do sleep 0.02; done
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
until [ "$(post_once $FLOOR_PORT)" = "202" ]; do sleep 0.05; done
until curl -s "http://127.0.0.1:$DT_PORT/count" >/dev/null; do sleep 0.05; done

delivered() { curl -s "http://127.0.0.1:$DT_PORT/count"; }
outbox() { find "$WORK/data/outbox" "$WORK/data/queue" -name '*.json' 2>/dev/null | wc -l; }
result() { grep '^RESULT' | sed 's/RESULT //'; }
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }

# Drain what the warm-up left, then measure delivery while loading at maximum rate.
while [ "$(outbox)" != "0" ]; do sleep 0.2; done
d0=$(delivered); t0=$(date +%s%N)
max=$(wrk -t2 -c32 -d"$DURATION" -s bench/post.lua "http://127.0.0.1:$PORT/webhooks/sentry" | result)
backlog_after_max=$(outbox)
while [ "$(outbox)" != "0" ]; do sleep 0.2; done
t1=$(date +%s%N); d1=$(delivered)
delivered_rps=$(python3 -c "print(round(($d1-$d0)/(($t1-$t0)/1e9),1))")
drain_s=$(python3 -c "print(round(($t1-$t0)/1e9 - float('${DURATION%s}'),1))")

fixed=$(WRK_DELAY_MS=20 wrk -t2 -c10 -d"$DURATION" -s bench/post.lua "http://127.0.0.1:$PORT/webhooks/sentry" | result)
backlog_after_fixed=$(outbox)
while [ "$(outbox)" != "0" ]; do sleep 0.2; done

floor=$(wrk -t2 -c32 -d"$DURATION" -s bench/post.lua "http://127.0.0.1:$FLOOR_PORT/webhooks/sentry" | result)
peak_rss_mb=$(( $(grep VmHWM /proc/$SERVICE/status | awk '{print $2}') / 1024 ))
p99_delivery=$(curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | python3 -c '
import sys, re
buckets = []
for line in sys.stdin:
    m = re.match(r"sentry_dingtalk_accept_to_delivered_seconds_bucket\{.*le=\"([^\"]+)\".*\} (\S+)", line)
    if m:
        buckets.append((float("inf") if m.group(1) == "+Inf" else float(m.group(1)), float(m.group(2))))
buckets.sort()
total = buckets[-1][1] if buckets else 0
print(next((f"{le*1000:.0f}" for le, c in buckets if c >= 0.99 * total), "n/a") if total else "n/a")')

ratio=$(python3 -c "print(round(100*$(field "$max" rps)/$(field "$floor" rps)))")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
table=$(cat <<TABLE
| run | $(date -u +%Y-%m-%dT%H:%MZ), commit $commit, $(nproc) cores, DURATION=$DURATION |
|---|---|
| startup to first accepted request | ${startup_ms} ms |
| accepted req/s, maximum rate (wrk -t2 -c32) | $(field "$max" rps) (errors $(field "$max" errors), non-2xx $(field "$max" non2xx)) |
| floor req/s (read, fsync, 202) | $(field "$floor" rps) |
| service / floor | ${ratio} % |
| ack latency at maximum rate p50 / p99 / p99.9 | $(field "$max" p50_ms) / $(field "$max" p99_ms) / $(field "$max" p999_ms) ms |
| ack latency at ~500 req/s (wrk -c10, 20 ms pacing): rate, p50 / p99 / p99.9 | $(field "$fixed" rps) req/s, $(field "$fixed" p50_ms) / $(field "$fixed" p99_ms) / $(field "$fixed" p999_ms) ms |
| delivered messages/s during and after the maximum-rate run | ${delivered_rps} (backlog after the run: ${backlog_after_max}, drained in ${drain_s} s) |
| backlog after the ~500 req/s run | ${backlog_after_fixed} |
| accept-to-delivered p99 (histogram bucket) | ≤ ${p99_delivery} ms |
| peak RSS of the service | ${peak_rss_mb} MB |
TABLE
)
echo "$table"
printf '\n%s\n' "$table" >> bench/results.md
