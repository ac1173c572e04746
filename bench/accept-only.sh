#!/usr/bin/env bash
# Webhooks alone: the service's acceptance with its robots held (a limit of 1 message an hour), so no
# delivery runs beside it; prints wrk's line and the process CPU per accepted request (user, sys).
#   bench/accept-only.sh [checkout]    run that checkout's jar with its own routes (default: this tree)
# Build the jar first (mvn -B package -DskipTests in the checkout). The same 4 robots and payload as
# bench/run.sh; a 15 s warm-up, then 20 s measured. JFR=1 also records a profile of the measured part.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "${1:-$HERE}"
JAR=$(ls target/sentry-dingtalk-camel-*.jar | head -1)
OUT=$(mktemp -d)
PORT=18900; DT=18901
java -Dsun.net.httpserver.nodelay=true "$HERE/bench/FastDingTalk.java" $DT > "$OUT/dingtalk.log" 2>&1 & DTP=$!
args=(); for i in 1 2 3 4; do args+=("--dingtalk.robots[$((i-1))].name=bench-$i" "--dingtalk.robots[$((i-1))].access-token=bench-token-$i" "--dingtalk.robots[$((i-1))].projects=bench-$i"); done
java @jvm.options ${JFR:+-XX:StartFlightRecording=settings=profile,filename=$OUT/rec.jfr,delay=25s,duration=20s} \
  -jar "$JAR" --server.port=$PORT --notify.data-dir="$OUT/data" --dingtalk.base-url=http://127.0.0.1:$DT "${args[@]}" \
  --dingtalk.rate-limit.max-messages=1 --dingtalk.rate-limit.window=1h > "$OUT/service.log" 2>&1 & SP=$!
trap 'kill $SP $DTP 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$PORT/webhooks/sentry
until curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Sentry-Hook-Resource: event_alert' \
  -H "Request-ID: warm-$RANDOM" --data-binary @"$HERE/src/test/resources/sentry/event_alert.triggered.json" "$URL" | grep -q 202; do sleep 0.1; done
export ROBOTS=4 PAYLOAD="$HERE/src/test/resources/sentry/event_alert.triggered.json"
wrk -t2 -c32 -d15s -s "$HERE/bench/post.lua" "$URL" > /dev/null
read -r u0 s0 <<< "$(awk '{print $14, $15}' /proc/$SP/stat)"
r=$(wrk -t2 -c32 -d20s -s "$HERE/bench/post.lua" "$URL" | grep RESULT)
read -r u1 s1 <<< "$(awk '{print $14, $15}' /proc/$SP/stat)"
n=$(echo "$r" | tr ' ' '\n' | grep '^requests=' | cut -d= -f2)
ticks=$(getconf CLK_TCK)
echo "$r user_ms_per_req=$(python3 -c "print(round(($u1-$u0)*1000/$ticks/$n,3))") sys_ms_per_req=$(python3 -c "print(round(($s1-$s0)*1000/$ticks/$n,3))")${JFR:+ profile=$OUT/rec.jfr}"
[ -z "${JFR:-}" ] || sleep 30
