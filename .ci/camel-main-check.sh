#!/usr/bin/env bash
# Runs the service without Spring Boot the way README.md's "Without Spring Boot" says, with
# deploy/camel-main.sh: `train` (its class data sharing archive), then `CDS=1 deploy/camel-main.sh` with
# one signed robot at a DingTalk stand-in, given by DINGTALK_ROBOTS_0_* environment variables. Checks: the readiness probe comes up; a signed Sentry payload
# gets 202 and becomes exactly one correctly signed message; /observe/health and /observe/metrics answer
# with the service's own check and series; SIGTERM stops it within 20 s.
# Needs java 17, mvn, python3, curl and `mvn package` done (target/classes). Log: target/camel-main/check.log.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/camel-main
FIXTURE=src/test/resources/sentry/event_alert.triggered.json
EXPECTED_TITLE='ReferenceError: heck is not defined'
TOKEN=maincheck-token
SECRET=SECmaincheck0123456789
SENTRY_SECRET=maincheck-sentry-secret
started=$SECONDS
say() { echo "camel-main-check: $*"; }
fail() {
  say "FAILED: $*"
  [[ -f $OUT/check.log ]] && { say "last 100 lines of $OUT/check.log:"; tail -n 100 "$OUT/check.log"; }
  exit 1
}
WORK=$(mktemp -d)
service_pid='' recorder_pid=''
cleanup() {
  for pid in $service_pid $recorder_pid; do { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

say "training the class data sharing archive (deploy/camel-main.sh train)"
mkdir -p $OUT
deploy/camel-main.sh train >"$OUT/train.log" 2>&1 || { cat "$OUT/train.log"; fail "deploy/camel-main.sh train failed"; }

python3 .ci/camel-cli/dingtalk-recorder.py "$WORK/recorder.port" "$WORK/requests.jsonl" &
recorder_pid=$!
for _ in $(seq 1 50); do [[ -s $WORK/recorder.port ]] && break; sleep 0.2; done
[[ -s $WORK/recorder.port ]] || fail "the DingTalk stand-in did not start"
touch "$WORK/requests.jsonl"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

say "starting CDS=1 deploy/camel-main.sh on :$port"
launched=$SECONDS
# The robot from environment variables, as a container configured for the jar gives it.
CDS=1 DINGTALK_ROBOTS_0_NAME=ops DINGTALK_ROBOTS_0_ACCESS_TOKEN=$TOKEN DINGTALK_ROBOTS_0_SECRET=$SECRET \
  deploy/camel-main.sh --server.port="$port" --notify.data-dir="$WORK/data" \
  --dingtalk.base-url="http://127.0.0.1:$(cat "$WORK/recorder.port")" --sentry.client-secret="$SENTRY_SECRET" \
  >"$OUT/check.log" 2>&1 </dev/null &
service_pid=$!
ready=''
for _ in $(seq 1 600); do
  kill -0 "$service_pid" 2>/dev/null || fail "the service exited before it was ready"
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/observe/health/ready" || true) == 200 ]]; then
    ready=yes; break
  fi
  sleep 0.1
done
[[ -n $ready ]] || fail "/observe/health/ready did not answer 200 within 60 s"
say "ready after $((SECONDS - launched)) s"

status=$(.ci/post-signed-sentry.sh "$port" "$FIXTURE" "$SENTRY_SECRET" "$WORK/answer.json")
[[ $status == 202 ]] || fail "POST /webhooks/sentry answered $status, not 202: $(cat "$WORK/answer.json" 2>/dev/null)"
unsigned=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/webhooks/sentry" \
  -H 'Content-Type: application/json' -H 'Sentry-Hook-Resource: event_alert' --data-binary "@$FIXTURE" || true)
[[ $unsigned == 401 ]] || fail "an unsigned payload answered $unsigned, not 401"

TOKEN=$TOKEN SECRET=$SECRET TITLE=$EXPECTED_TITLE python3 .ci/check-dingtalk-message.py "$WORK/requests.jsonl" camel-main-check \
  || fail "the message at the stand-in is wrong"

health=$(curl -s "http://127.0.0.1:$port/observe/health")
[[ $health == *'"name":"data-dir","status":"UP"'* && $health == *'"name":"intake","status":"UP"'* ]] \
  || fail "/observe/health lacks data-dir or intake UP: $health"
metrics=$(curl -s "http://127.0.0.1:$port/observe/metrics")
grep -q '^sentry_dingtalk_delivered_total{robot="ops"} 1.0' <<<"$metrics" \
  || fail "/observe/metrics has no sentry_dingtalk_delivered_total{robot=\"ops\"} 1.0"
if { cat "$OUT/check.log"; printf '%s\n%s\n' "$health" "$metrics"; } | grep -q -e "$TOKEN" -e "$SECRET" -e "$SENTRY_SECRET"; then
  fail "a token or secret appears in the log, the health answer or the metrics"
fi

kill -TERM "$service_pid"
for _ in $(seq 1 200); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$service_pid" 2>/dev/null && fail "SIGTERM did not stop the service within 20 s"
service_pid=''
say "passed in $((SECONDS - started)) s"
