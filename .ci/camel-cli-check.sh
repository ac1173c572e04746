#!/usr/bin/env bash
# Runs README.md's Camel CLI command (section "Without Spring Boot", the bash block between the
# camel-cli-check markers) with the real Camel CLI 4.17.0 from Maven Central, then checks that a Sentry
# payload goes through it to a DingTalk stand-in: 202, then exactly one message whose access_token,
# timestamp and sign (HMAC-SHA256, recomputed here) are right and whose title is the alert's.
# The README's placeholders become test values: `SEC…` the robot's secret, any other `…` its token.
# Needs java 17, mvn, python3 and curl. Leaves the CLI's log in target/camel-cli/camel-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/camel-cli
CLI_DIR=$ROOT/.ci/camel-cli
FIXTURE=src/test/resources/sentry/event_alert.triggered.json
EXPECTED_TITLE='ReferenceError: heck is not defined'
TOKEN=clicheck-token
SECRET=SECclicheck0123456789
SENTRY_SECRET=clicheck-sentry-secret
started=$SECONDS

say() { echo "camel-cli-check: $*"; }
fail() {
  say "FAILED: $*"
  if [[ -f $OUT/camel-run.log ]]; then
    say "last 150 lines of the Camel CLI's log ($OUT/camel-run.log):"
    tail -n 150 "$OUT/camel-run.log" | sed 's/\x1b\[[0-9;]*m//g'
  fi
  exit 1
}

WORK=$(mktemp -d)
cli_pid='' recorder_pid=''
cleanup() {
  # TERM lets Camel shut down and remove its ~/.camel/<pid>-* files; KILL only if it hangs.
  for pid in $cli_pid $recorder_pid; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    [[ -n $cli_pid ]] && kill -0 "$cli_pid" 2>/dev/null || break
    sleep 0.5
  done
  for pid in $cli_pid $recorder_pid; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# 1. The CLI: CamelJBangMain and its dependencies, resolved by Maven into ~/.m2 (cached from then on).
mkdir -p "$OUT"
say "resolving the Camel CLI (.ci/camel-cli/pom.xml) from Maven Central"
mvn -B -f "$CLI_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$OUT/classpath" >"$OUT/mvn.log" 2>&1 \
  || { cat "$OUT/mvn.log"; fail "could not resolve the Camel CLI's classpath"; }
CLI_CLASSPATH=$(cat "$OUT/classpath")
camel() { exec java -cp "$CLI_CLASSPATH" "$CLI_DIR/Camel.java" "$@"; }

# 2. The README's command, as written there, between its markers.
block=$(awk '/<!-- camel-cli-check: begin/ {on = 1; next} /<!-- camel-cli-check: end/ {on = 0} on' README.md \
  | sed '/^```/d')
command=$(printf '%s\n' "$block" | sed -e ':join' -e '/\\$/N; s/\\\n//; t join')
[[ $(printf '%s\n' "$command" | grep -c .) == 1 && $command == "camel run "* ]] \
  || fail "README.md has no single 'camel run' command between the camel-cli-check markers: $block"
command=${command//SEC…/$SECRET}
command=${command//…/$TOKEN}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [[ $command == *--port=* ]]; then
  command=$(sed -E "s/--port=[0-9]+/--port=$port/" <<<"$command")
else
  command+=" --port=$port"
fi

# 3. The DingTalk stand-in, then the CLI pointed at it.
python3 "$CLI_DIR/dingtalk-recorder.py" "$WORK/recorder.port" "$WORK/requests.jsonl" &
recorder_pid=$!
for _ in $(seq 1 50); do [[ -s $WORK/recorder.port ]] && break; sleep 0.2; done
[[ -s $WORK/recorder.port ]] || fail "the DingTalk stand-in did not start"
touch "$WORK/requests.jsonl"
command+=" --prop=dingtalk.base-url=http://127.0.0.1:$(cat "$WORK/recorder.port")"
command+=" --prop=notify.data-dir=$WORK/data --prop=sentry.client-secret=$SENTRY_SECRET"

rm -rf .camel-jbang  # the CLI's work folder from an earlier run: compiled beans must come from the sources
say "running: ${command//$SECRET/SEC***}"
(eval "$command") >"$OUT/camel-run.log" 2>&1 </dev/null &
cli_pid=$!

say "waiting for POST /webhooks/sentry on :$port"
ready=''
for _ in $(seq 1 300); do
  kill -0 "$cli_pid" 2>/dev/null || fail "the Camel CLI exited before it served /webhooks/sentry"
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/webhooks/sentry" || true)
  # 404 until the route is up; then a GET gets 405 (the route takes POST only).
  if [[ $code != 000 && $code != 404 ]]; then ready=yes; break; fi
  sleep 1
done
[[ -n $ready ]] || fail "/webhooks/sentry did not come up within 300 s"
say "up after $((SECONDS - started)) s"

# 4. One signed Sentry issue alert in, 202 out.
status=$(.ci/post-signed-sentry.sh "$port" "$FIXTURE" "$SENTRY_SECRET" "$WORK/answer.json")
[[ $status == 202 ]] || fail "POST /webhooks/sentry answered $status, not 202: $(cat "$WORK/answer.json" 2>/dev/null)"
say "202 $(cat "$WORK/answer.json")"

# 5. Exactly one message at the stand-in, signed with the robot's secret, carrying the alert's title.
TOKEN=$TOKEN SECRET=$SECRET TITLE=$EXPECTED_TITLE python3 .ci/check-dingtalk-message.py "$WORK/requests.jsonl" camel-cli-check \
  || fail "the message at the stand-in is wrong"

say "passed in $((SECONDS - started)) s"
