# The one message a CI check's DingTalk stand-in (.ci/camel-cli/dingtalk-recorder.py) received: waits up
# to 60 s for it, 2 s more (a duplicate would have arrived by then), then checks there is exactly one, to
# /robot/send, with the robot's access_token, a current timestamp and the sign DingTalk expects
# (HMAC-SHA256 recomputed here), carrying the alert's title. Used by .ci/camel-cli-check.sh and
# .ci/camel-main-check.sh:  TOKEN=… SECRET=… TITLE=… python3 .ci/check-dingtalk-message.py requests.jsonl <label>
import base64, hashlib, hmac, json, os, sys, time
from urllib.parse import parse_qs, urlsplit

deadline = time.time() + 60
while not (os.path.exists(sys.argv[1]) and os.path.getsize(sys.argv[1]) > 0):
    assert time.time() < deadline, "the DingTalk stand-in got no message within 60 s"
    time.sleep(1)
time.sleep(2)
requests = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(requests) == 1, f"expected exactly one message, got {len(requests)}"
url = urlsplit(requests[0]["path"])
query = {k: v[0] for k, v in parse_qs(url.query).items()}
assert url.path == "/robot/send", url.path
assert query.get("access_token") == os.environ["TOKEN"], "access_token is not the robot's token"
timestamp = query.get("timestamp", "")
assert timestamp.isdigit() and abs(int(timestamp) - time.time() * 1000) < 10 * 60 * 1000, \
    f"timestamp {timestamp!r} is not the current time in ms"
secret = os.environ["SECRET"]
expected = base64.b64encode(
    hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()).decode()
assert query.get("sign") == expected, "sign is not HMAC-SHA256(timestamp + \\n + secret) under the robot's secret"
message = json.loads(requests[0]["body"])
title = os.environ["TITLE"]
assert title in json.dumps(message, ensure_ascii=False), f"the alert's title {title!r} is not in {message}"
print(f"{sys.argv[2]}: one {message.get('msgtype')} message, token, timestamp and sign right, title {title!r}")
