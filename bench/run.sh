#!/usr/bin/env bash
# Benchmark of the ack and delivery paths. Run from anywhere after `mvn -B package -DskipTests`:
#   bench/run.sh            standard run (about 5 minutes): startup, maximum rate, 4 connections, ~500 req/s,
#                           first message after a 202, the floor, and the Go peer when present (issue 16's tables)
#   bench/run.sh overload   DingTalk down for OUTAGE (120s) while alerts keep coming, then back up
#   JVM_OPTIONS=file        another JVM options file instead of jvm.options
#   SERVICE_COMMAND="cmd"   starts the service instead of `java @jvm.options -jar <jar>`, with the same --name=value arguments
#   RESULTS_FILE=file       where the table is appended (bench/results.md)
#   KEEP_BACKLOG=1          start the maximum-rate run with the warm-up's backlog still waiting
#   PEER_DIR=dir            prometheus-webhook-dingtalk's binary and template/ (default: ../shared/peers/
#                           prometheus-webhook-dingtalk beside the repository, or /work/shared/peers/...);
#                           without it (or PEER_DIR=none) the peer's row says "not present" / "not run"
# Starts a fast local DingTalk stand-in (errcode 0), the floor server and the service (java @jvm.options)
# with ROBOTS robots (4, signed), one per project, and the rate limit lifted; loads POST /webhooks/sentry with
# wrk; prints a table and appends it, with the date and commit, to bench/results.md.
# Standard mode also loads the floor and the peer (Alertmanager payloads, bench/alertmanager.lua, its
# targets signed and forwarding to the same stand-in) alike: WARMUP at 32 connections, then DURATION at 32
# and DURATION at 4, and prints issue 16's tables (bench/issue_table.py).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-standard}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
OUTAGE=${OUTAGE:-120}
export ROBOTS=${ROBOTS:-4}
JAR=$(ls target/sentry-dingtalk-camel-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { echo "run 'mvn -B package -DskipTests' first"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }

WORK=$(mktemp -d)
PORT=18800; DT_PORT=18801; FLOOR_PORT=18802; PEER_PORT=18803
PIDS=()
# The floor's files and the service's data can reach gigabytes: removed, the logs kept.
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            rm -rf "$WORK/floor" "$WORK/data"; }
trap cleanup EXIT
export PAYLOAD=src/test/resources/sentry/event_alert.triggered.json
URL="http://127.0.0.1:$PORT/webhooks/sentry"

# The helpers start (and compile) first, so they do not slow the service's startup.
# nodelay: without it the JDK server and the client wait on each other (Nagle and delayed ACK, ~40 ms a request)
java -Dsun.net.httpserver.nodelay=true bench/FastDingTalk.java $DT_PORT > "$WORK/dingtalk.log" 2>&1 & PIDS+=($!)
java -Dsun.net.httpserver.nodelay=true bench/FloorServer.java $FLOOR_PORT "$WORK/floor" > "$WORK/floor.log" 2>&1 & PIDS+=($!)
post_once() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H 'Sentry-Hook-Resource: event_alert' -H "Request-ID: warm-$RANDOM$RANDOM" --data-binary @"$PAYLOAD" \
  "http://127.0.0.1:$1/webhooks/sentry" 2>/dev/null || true; }
until [ "$(post_once $FLOOR_PORT)" = "202" ]; do sleep 0.05; done
until curl -s "http://127.0.0.1:$DT_PORT/stats" >/dev/null; do sleep 0.05; done

field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
# The floor and the peer get the same load as the service: warm-up, 32 connections, 4 connections.
load_alike() {  # load_alike <url> <wrk script>: sets AT32 and AT4
  wrk -t2 -c32 -d"$WARMUP" -s "$2" "$1" > /dev/null
  AT32=$(wrk -t2 -c32 -d"$DURATION" -s "$2" "$1" | result)
  AT4=$(wrk -t2 -c4 -d"$DURATION" -s "$2" "$1" | result)
}
# The floor first, on a file system nobody has just deleted from, and keeping its files: this machine's
# ext4 has no journal, and there a file created within about a minute of many deletions costs a scan of
# the recently freed inodes (perf: recently_deleted, up to a quarter of the kernel's time). Measured
# after the service (which deletes every delivered alert's file) and emptied between its phases, the
# floor ran at 1,300-3,000 req/s; on its own, 8,600-9,700 (bench/results.md, fourth session).
result() { grep '^RESULT' | sed 's/RESULT //'; }
if [ "$MODE" != overload ]; then
  load_alike "http://127.0.0.1:$FLOOR_PORT/webhooks/sentry" bench/post.lua
  floor=$AT32; floor4=$AT4
fi
robot_args=()
for i in $(seq 1 "$ROBOTS"); do
  robot_args+=("--dingtalk.robots[$((i-1))].name=bench-$i" "--dingtalk.robots[$((i-1))].access-token=bench-token-$i"
               "--dingtalk.robots[$((i-1))].projects=bench-$i" "--dingtalk.robots[$((i-1))].secret=SECbench$i")
done
# Startup to the first accepted request (an alert for robot bench-1 every 20 ms until one gets its 202),
# STARTS times (3); the median is reported, the last start stays up. Then the time from that 202 to its
# message's arrival at the stand-in (AFTER_START).
# SERVICE_COMMAND="..." replaces `java @jvm.options -jar <jar>` (it gets the same --name=value arguments).
read -r -a SERVICE_CMD <<< "${SERVICE_COMMAND:-java @${JVM_OPTIONS:-jvm.options} -jar $JAR}"
start_service() {
  local start_ns=$(date +%s%N) started
  "${SERVICE_CMD[@]}" --server.port=$PORT --notify.data-dir="$WORK/data" \
    --dingtalk.base-url=http://127.0.0.1:$DT_PORT "${robot_args[@]}" \
    --dingtalk.rate-limit.max-messages=100000000 --dingtalk.retry.outage-pause=10s ${SERVICE_ARGS:-} > "$WORK/service.log" 2>&1 & SERVICE=$!; PIDS+=($SERVICE)
  started=$(python3 bench/first_message.py start "$start_ns" "$URL" "http://127.0.0.1:$DT_PORT" "$PAYLOAD")
  STARTUPS+=($(field "$started" startup_ms)); AFTER_START+=($(field "$started" first_ms))
}
STARTUPS=(); AFTER_START=()
for i in $(seq 2 "${STARTS:-3}"); do start_service; kill $SERVICE; wait $SERVICE 2>/dev/null || true; done
start_service
startup_ms=$(printf '%s\n' "${STARTUPS[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
startups=$(IFS=/; echo "${STARTUPS[*]}")

stats() { curl -s "http://127.0.0.1:$DT_PORT/stats"; }          # "delivered outOfOrder"
delivered() { stats | cut -d' ' -f1; }
backlog() { { find "$WORK/data/outbox" "$WORK/data/queue" -name '*.json' 2>/dev/null || true; } | wc -l; }
drain() { while [ "$(backlog)" != "0" ]; do sleep 0.2; done; }
rss_mb() { echo $(( $(grep VmRSS /proc/$SERVICE/status | awk '{print $2}') / 1024 )); }
# Samples the backlog and RSS every second while a command runs: "max_backlog last_backlog max_rss_mb".
sampled() {
  "$@" > "$WORK/sampled.out" & local pid=$!
  local max_b=0 last_b=0 max_r=0
  while kill -0 $pid 2>/dev/null; do
    last_b=$(backlog); r=$(rss_mb)
    [ "$last_b" -gt "$max_b" ] && max_b=$last_b; [ "$r" -gt "$max_r" ] && max_r=$r
    sleep 1
  done
  wait $pid; SAMPLED="$max_b $last_b $max_r"
}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
header="| run | $(date -u +%Y-%m-%dT%H:%MZ), commit $commit$(git diff --quiet HEAD -- src/main routes templates jvm.options 2>/dev/null || echo ' + local changes')${SERVICE_ARGS:+ + $SERVICE_ARGS}${JVM_OPTIONS:+ + JVM options from $JVM_OPTIONS}${SERVICE_COMMAND:+ + service started by $SERVICE_COMMAND}${KEEP_BACKLOG:+ + warm-up backlog kept}, $(nproc) cores, $ROBOTS robots (signed), $MODE, DURATION=$DURATION |"

if [ "$MODE" = overload ]; then
  drain
  accepted0=$(delivered)
  curl -s -X POST "http://127.0.0.1:$DT_PORT/down" > /dev/null
  # One connection per wrk thread: each thread's alerts reach the service in order (see post.lua).
  sampled wrk -t2 -c2 -d"${OUTAGE}s" -s bench/post.lua "$URL"
  load=$(result < "$WORK/sampled.out"); read -r max_backlog backlog_at_end max_rss <<< "$SAMPLED"
  curl -s -X POST "http://127.0.0.1:$DT_PORT/up" > /dev/null
  t0=$(date +%s%N); drain; drain_s=$(python3 -c "print(round(($(date +%s%N)-$t0)/1e9,1))")
  read -r delivered_total out_of_order <<< "$(stats)"
  accepted=$(field "$load" requests)
  table=$(cat <<TABLE
$header
|---|---|
| DingTalk down (HTTP 503) for | ${OUTAGE} s, while wrk -t2 -c2 kept posting |
| accepted during the outage | ${accepted} requests, $(field "$load" rps) req/s (errors $(field "$load" errors), non-2xx $(field "$load" non2xx)) |
| ack latency during the outage p50 / p99 / p99.9 | $(field "$load" p50_ms) / $(field "$load" p99_ms) / $(field "$load" p999_ms) ms |
| backlog on disk at the end of the outage (max) | ${backlog_at_end} (${max_backlog}) |
| RSS during the outage (max of 1 s samples) | ${max_rss} MB |
| after DingTalk came back: drained in | ${drain_s} s (outage pause 10 s + backoff included) |
| delivered after it came back / accepted | $((delivered_total - accepted0)) / ${accepted} |
| out of order (per robot and wrk thread) | ${out_of_order} |
| dead letters | $({ find "$WORK/data/dead-letter" -name '*.json' 2>/dev/null || true; } | wc -l) |
TABLE
)
else
  # Warm-up at maximum rate (JIT, pools, caches), then an empty backlog.
  wrk -t2 -c32 -d"$WARMUP" -s bench/post.lua "$URL" > /dev/null
  [ -n "${KEEP_BACKLOG:-}" ] || drain

  d0=$(delivered); t0=$(date +%s%N)
  max=$(wrk -t2 -c32 -d"$DURATION" -s bench/post.lua "$URL" | result)
  t_end=$(date +%s%N); d_end=$(delivered); backlog_after_max=$(backlog)
  drain
  t1=$(date +%s%N); d1=$(delivered)
  during_rps=$(python3 -c "print(round(($d_end-$d0)/(($t_end-$t0)/1e9)))")
  delivered_rps=$(python3 -c "print(round(($d1-$d0)/(($t1-$t0)/1e9)))")
  drain_s=$(python3 -c "print(round(($t1-$t_end)/1e9,1))")

  # Light load, 4 connections (issue 16's second load), from and back to an empty backlog.
  at4=$(wrk -t2 -c4 -d"$DURATION" -s bench/post.lua "$URL" | result); drain

  # 500 req/s: 10 connections, each waiting (20 ms - the answer's latency) before its next request;
  # the latency comes from a 3 s probe at that rate.
  probe=$(WRK_DELAY_MS=18 wrk -t2 -c10 -d3s -s bench/post.lua "$URL" | result); drain
  pacing=$(python3 -c "print(max(1, round(20 - (10 / $(field "$probe" rps) * 1000 - 18))))")
  sampled env WRK_DELAY_MS=$pacing wrk -t2 -c10 -d"$DURATION" -s bench/post.lua "$URL"
  fixed=$(result < "$WORK/sampled.out"); read -r fixed_max_backlog fixed_last_backlog _ <<< "$SAMPLED"
  drain

  # The first message of an incident: one alert at a time to an idle service, 202 -> the stand-in.
  first=$(python3 bench/first_message.py idle "$URL" "http://127.0.0.1:$DT_PORT" "$PAYLOAD" "${FIRST_PROBES:-5}" "$ROBOTS")
  peak_rss_mb=$(( $(grep VmHWM /proc/$SERVICE/status | awk '{print $2}') / 1024 ))

  # The peer under the same load as the service and the floor (load_alike, above).

  PEER_ABSENT="no binary in ${PEER_DIR:-../shared/peers/prometheus-webhook-dingtalk}"
  [ "${PEER_DIR:-}" != none ] || PEER_ABSENT="not run: PEER_DIR=none"
  if [ -z "${PEER_DIR:-}" ]; then
    for dir in ../shared/peers/prometheus-webhook-dingtalk /work/shared/peers/prometheus-webhook-dingtalk; do
      [ -x "$dir/prometheus-webhook-dingtalk" ] && { PEER_DIR=$(cd "$dir" && pwd); break; }
    done
  fi
  peer=""; peer4=""; peer_rss_mb=""
  if [ -n "${PEER_DIR:-}" ] && [ -x "$PEER_DIR/prometheus-webhook-dingtalk" ]; then
    { echo "targets:"
      for i in $(seq 1 "$ROBOTS"); do
        printf '  bench-%s:\n    url: http://127.0.0.1:%s/robot/send?access_token=peer-token-%s\n    secret: SECpeer%s\n' \
          "$i" "$DT_PORT" "$i" "$i"
      done; } > "$WORK/peer.yml"
    # It reads template/default.tmpl relative to its working directory.
    (cd "$PEER_DIR" && exec ./prometheus-webhook-dingtalk --web.listen-address=127.0.0.1:$PEER_PORT \
      --config.file="$WORK/peer.yml") > "$WORK/peer.log" 2>&1 & PEER=$!; PIDS+=($PEER)
    until curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @bench/alertmanager.json \
      "http://127.0.0.1:$PEER_PORT/dingtalk/bench-1/send" || ! kill -0 $PEER 2>/dev/null; do sleep 0.05; done
    if kill -0 $PEER 2>/dev/null; then
      peer_d0=$(delivered)
      load_alike "http://127.0.0.1:$PEER_PORT/" bench/alertmanager.lua
      peer=$AT32; peer4=$AT4
      peer_rss_mb=$(( $(grep VmHWM /proc/$PEER/status | awk '{print $2}') / 1024 ))
      peer_forwarded=$(( $(delivered) - peer_d0 ))
      kill $PEER
    else
      PEER_ABSENT="failed to start: $(tail -1 "$WORK/peer.log" | tr -d "|" | cut -c1-120)"
    fi
  fi
  p99_delivery=$(curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | python3 -c '
import sys, re
buckets = {}
for line in sys.stdin:
    m = re.match(r"sentry_dingtalk_accept_to_delivered_seconds_bucket\{.*le=\"([^\"]+)\".*\} (\S+)", line)
    if m:
        le = float("inf") if m.group(1) == "+Inf" else float(m.group(1))
        buckets[le] = buckets.get(le, 0) + float(m.group(2))  # summed over the robots
total = buckets.get(float("inf"), 0)
print(next((f"{le*1000:.0f}" for le, c in sorted(buckets.items()) if c >= 0.99 * total), "n/a") if total else "n/a")')
  ratio=$(python3 -c "print(round(100*$(field "$max" rps)/$(field "$floor" rps)))")
  table=$(cat <<TABLE
$header
|---|---|
| startup to first accepted request, median (each start) | ${startup_ms} ms (${startups}) |
| accepted req/s, maximum rate (wrk -t2 -c32, after ${WARMUP} warm-up) | $(field "$max" rps) (errors $(field "$max" errors), non-2xx $(field "$max" non2xx)) |
| floor req/s (read, fsync, 202) | $(field "$floor" rps) |
| service / floor | ${ratio} % |
| ack latency at maximum rate p50 / p99 / p99.9 | $(field "$max" p50_ms) / $(field "$max" p99_ms) / $(field "$max" p999_ms) ms |
| delivered msg/s during the maximum-rate run / until drained | ${during_rps} / ${delivered_rps} (backlog after the run ${backlog_after_max}, drained in ${drain_s} s) |
| fixed rate (wrk -c10, ${pacing} ms pacing): rate, ack p50 / p99 / p99.9 | $(field "$fixed" rps) req/s, $(field "$fixed" p50_ms) / $(field "$fixed" p99_ms) / $(field "$fixed" p999_ms) ms |
| backlog during the fixed-rate run: max / at the end | ${fixed_max_backlog} / ${fixed_last_backlog} |
| accept-to-delivered p99, whole run (histogram bucket) | ≤ ${p99_delivery} ms |
| peak RSS of the service (VmHWM) | ${peak_rss_mb} MB |
TABLE
)
  table+=$'\n\n'$(S32=$max S4=$at4 P32=$peer P4=$peer4 F32=$floor F4=$floor4 S_RSS=$peak_rss_mb P_RSS=$peer_rss_mb \
    PEER_ABSENT=$PEER_ABSENT \
    PEER_FORWARDED=${peer_forwarded:-} STARTUP_MS=$startup_ms STARTUPS="$startups" \
    AFTER_START="$(IFS=/; echo "${AFTER_START[*]}")" FIRST=$first FIXED=$fixed \
    FIXED_BACKLOG="$fixed_max_backlog $fixed_last_backlog" DURATION=$DURATION python3 bench/issue_table.py)
fi
echo "$table"
printf '\n%s\n' "$table" >> "${RESULTS_FILE:-bench/results.md}"
