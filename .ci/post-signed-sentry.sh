#!/usr/bin/env bash
# POSTs a Sentry payload to a running service as Sentry's Integration Platform would (signed with the
# client secret, a fresh Request-ID and timestamp) and prints the HTTP status; the answer goes to a file.
#   .ci/post-signed-sentry.sh <port> <payload.json> <client secret> <answer file>
set -uo pipefail
port=$1 payload=$2 secret=$3 answer=$4
signature=$(python3 -c 'import hashlib, hmac, sys
print(hmac.new(sys.argv[1].encode(), open(sys.argv[2], "rb").read(), hashlib.sha256).hexdigest())' "$secret" "$payload")
curl -s -o "$answer" -w '%{http_code}' -X POST "http://127.0.0.1:$port/webhooks/sentry" \
  -H 'Content-Type: application/json' -H 'Sentry-Hook-Resource: event_alert' \
  -H "Request-ID: ci-check-$$-$RANDOM" -H "Sentry-Hook-Timestamp: $(date +%s)" \
  -H "Sentry-Hook-Signature: $signature" --data-binary "@$payload" || true
