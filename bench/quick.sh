#!/usr/bin/env bash
# A quick mixed run for A/B checks (about a minute): the service with 4 signed robots, the rate limit
# lifted and delivery running beside the webhooks; wrk -t2 at 32 connections (after a warm-up), then at
# 4; prints wrk's RESULT lines and the service's peak RSS.
#   bench/quick.sh [checkout]          that checkout's jar, routes and jvm.options (default: this tree)
#   JVM_OPTIONS=file                   another JVM options file
#   WARM=10s DUR=15s                   warm-up and each measured phase
#   NMT=1                              also the JVM's native memory summary (adds -XX:NativeMemoryTracking)
#   HISTO=1                            also the heap after a full GC and its largest classes
#   FSYNC=off                          fsync as a no-op (Debian's eatmydata): what durability costs
# Alternate two checkouts a few times; the machine drifts by ±20 %. Build the jar first.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "${1:-$HERE}"
JAR=$(ls target/sentry-dingtalk-camel-*.jar | head -1)
W=$(mktemp -d); PORT=18900; DT=18901
java -Dsun.net.httpserver.nodelay=true "$HERE/bench/FastDingTalk.java" $DT > "$W/dingtalk.log" 2>&1 & DTP=$!
args=()
for i in 1 2 3 4; do
  args+=("--dingtalk.robots[$((i-1))].name=bench-$i" "--dingtalk.robots[$((i-1))].access-token=bench-token-$i"
         "--dingtalk.robots[$((i-1))].secret=SECbench$i" "--dingtalk.robots[$((i-1))].projects=bench-$i")
done
preload=()
if [ "${FSYNC:-on}" = off ]; then
  command -v eatmydata >/dev/null || { apt-get update -qq && apt-get install -y -qq eatmydata; }
  preload=(env LD_PRELOAD=$(dpkg -L libeatmydata1 | grep '\.so$' | head -1))
fi
"${preload[@]}" java @"${JVM_OPTIONS:-jvm.options}" ${NMT:+-XX:NativeMemoryTracking=summary} -jar "$JAR" --server.port=$PORT \
  --notify.data-dir="$W/data" --dingtalk.base-url=http://127.0.0.1:$DT "${args[@]}" \
  --dingtalk.rate-limit.max-messages=100000000 > "$W/service.log" 2>&1 & SP=$!
trap 'kill $SP $DTP 2>/dev/null || true; rm -rf "$W"' EXIT
until curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/actuator/health/readiness 2>/dev/null | grep -q 200; do sleep 0.2; done
export ROBOTS=4 PAYLOAD="$HERE/src/test/resources/sentry/event_alert.triggered.json"
URL=http://127.0.0.1:$PORT/webhooks/sentry
wrk -t2 -c32 -d"${WARM:-10s}" -s "$HERE/bench/post.lua" "$URL" > /dev/null
echo "32 connections: $(wrk -t2 -c32 -d"${DUR:-15s}" -s "$HERE/bench/post.lua" "$URL" | grep RESULT)"
echo "4 connections:  $(wrk -t2 -c4 -d"${DUR:-15s}" -s "$HERE/bench/post.lua" "$URL" | grep RESULT)"
echo "peak RSS: $(( $(grep VmHWM /proc/$SP/status | awk '{print $2}') / 1024 )) MB"
if [ -n "${HISTO:-}" ]; then jcmd $SP GC.heap_info | head -8; jcmd $SP GC.class_histogram | head -15; fi
if [ -n "${NMT:-}" ]; then jcmd $SP VM.native_memory summary | grep -E "committed" | head -25; fi
