#!/usr/bin/env python3
"""First message of an incident at DingTalk after its 202 (issue 16), from bench/run.sh.

  bench/first_message.py idle <service url> <stand-in url> <payload> [probes] [robots] [idle seconds]
  bench/first_message.py start <start ns> <service url> <stand-in url> <payload>

idle: each probe waits IDLE seconds (1.5) with nothing sent, POSTs one Sentry alert (a new event, robot
bench-<n>, taking turns) and waits until the stand-in (bench/FastDingTalk.java, GET /last) has received
one more message. Expects an empty backlog: any other delivery would be counted instead. Prints
  FIRST each_ms=a/b/c median_ms=... max_ms=... missing=<probes with no message within 10 s>
start: POSTs an alert for robot bench-1 every 20 ms until the service (started at <start ns>, epoch
nanoseconds) answers 202, then waits for its message. Prints
  START startup_ms=<start to the 202> first_ms=<202 to the stand-in, or none>
Times are from the moment the 202 was read to the message's arrival at the stand-in (one clock, this
machine's); below 0 when the message arrives before the client has read its 202.
"""
import http.client
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request


def stand_in_last(stand_in):
    """(messages received, epoch microseconds of the last arrival)"""
    with urllib.request.urlopen(stand_in + "/last") as answer:
        delivered, arrival_us = answer.read().decode().split()
        return int(delivered), int(arrival_us)


def post_alert(service, template, robot):
    """POSTs a new alert; returns (HTTP status, epoch ns at which the answer was read)."""
    alert_id = f"first-{time.time_ns()}-{robot}"
    body = re.sub(r'"event_id": *"[0-9a-f]*"', f'"event_id": "{alert_id}"', template, count=1)
    body = body.replace("/projects/test-org/front-end/", f"/projects/test-org/bench-{robot}/")
    url = urllib.parse.urlsplit(service)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("POST", url.path, body.encode(), {"Content-Type": "application/json",
                           "Sentry-Hook-Resource": "event_alert", "Request-ID": alert_id})
        status = connection.getresponse().status
        return status, time.time_ns()
    finally:
        connection.close()


def ms_to_arrival(stand_in, before, at_202):
    """Waits (10 s at most) for the stand-in's next message: ms from at_202 to its arrival, or None."""
    deadline = time.monotonic() + 10
    while (last := stand_in_last(stand_in))[0] == before and time.monotonic() < deadline:
        time.sleep(0.002)
    return None if last[0] == before else round((last[1] * 1000 - at_202) / 1e6, 1)


def idle(service, stand_in, payload, probes="5", robots="4", idle_s="1.5"):
    template = open(payload, encoding="utf-8").read()
    times, missing = [], 0
    for n in range(int(probes)):
        time.sleep(float(idle_s))
        before, _ = stand_in_last(stand_in)
        status, at_202 = post_alert(service, template, n % int(robots) + 1)
        if status != 202:
            sys.exit(f"probe {n}: HTTP {status}, not 202")
        took = ms_to_arrival(stand_in, before, at_202)
        if took is None:
            missing += 1
        else:
            times.append(took)
    if not times:
        print(f"FIRST each_ms=none median_ms=n/a max_ms=n/a missing={missing}")
        return
    print(f"FIRST each_ms={'/'.join(f'{t:g}' for t in times)} median_ms={statistics.median(times):g} "
          f"max_ms={max(times):g} missing={missing}")


def start(start_ns, service, stand_in, payload):
    template = open(payload, encoding="utf-8").read()
    before, _ = stand_in_last(stand_in)
    deadline = time.monotonic() + 120
    while True:
        if time.monotonic() > deadline:
            sys.exit("no 202 from the service within 120 s")
        try:
            status, at_202 = post_alert(service, template, 1)
            if status == 202:
                break
        except OSError:
            pass  # not listening yet
        time.sleep(0.02)
    took = ms_to_arrival(stand_in, before, at_202)
    print(f"START startup_ms={(at_202 - int(start_ns)) // 1_000_000} first_ms={'none' if took is None else f'{took:g}'}")


if __name__ == "__main__":
    {"idle": idle, "start": start}[sys.argv[1]](*sys.argv[2:])
