#!/usr/bin/env python3
"""Issue 16's tables from bench/run.sh's measurements (environment variables, set by run.sh):
the targets side by side, their ratios, and the issue's goals.

S32, S4, P32, P4, F32, F4   wrk RESULT fields (post.lua / alertmanager.lua) of the service, the peer and
                            the floor at 32 and 4 connections; P32 empty when the peer is not present
S_RSS, P_RSS                peak RSS (VmHWM) in MB;  PEER_ABSENT  why the peer did not run
PEER_FORWARDED              messages the stand-in received while the peer was loaded (warm-up included)
STARTUP_MS, STARTUPS        median and each start's ms to the first 202
AFTER_START                 each start's first message at the stand-in, ms after that 202 ("/"-separated)
FIRST                       bench/first_message.py's FIRST fields
FIXED, FIXED_BACKLOG        the fixed-rate run's RESULT fields; its backlog "max end"
DURATION
"""
import os


def fields(name):
    text = os.environ.get(name, "").replace("RESULT ", "").replace("FIRST ", "")
    return {k: v for k, v in (pair.split("=", 1) for pair in text.split() if "=" in pair)}


def ms(x):
    x = float(x)
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def rate(x):
    return f"{float(x):,.0f}"


def ratio(a, b):
    try:
        return f"{float(a) / float(b):.2f}"
    except (TypeError, ValueError, ZeroDivisionError):
        return "–"


def row(label, at32, at4, rss):
    """The issue's five columns, then p50 / p99.9 / max at 32 and p99.9 / max at 4."""
    return (f"| {label} | {rate(at32['rps'])} | {ms(at32['p99_ms'])} | {rate(at4['rps'])} | "
            f"{ms(at4['p50_ms'])} / {ms(at4['p99_ms'])} | {rss} | "
            f"{ms(at32['p50_ms'])} / {ms(at32['p999_ms'])} / {ms(at32['max_ms'])} | "
            f"{ms(at4['p999_ms'])} / {ms(at4['max_ms'])} |")


def ratio_row(label, a32, a4, a_rss, b32, b4, b_rss):
    if not b32:
        return f"| {label} | – | – | – | – | – | – | – |"
    r = lambda a, b, k: ratio(a[k], b[k])
    return (f"| {label} | {r(a32, b32, 'rps')} | {r(a32, b32, 'p99_ms')} | {r(a4, b4, 'rps')} | "
            f"{r(a4, b4, 'p50_ms')} / {r(a4, b4, 'p99_ms')} | {ratio(a_rss, b_rss)} | "
            f"{r(a32, b32, 'p50_ms')} / {r(a32, b32, 'p999_ms')} / {r(a32, b32, 'max_ms')} | "
            f"{r(a4, b4, 'p999_ms')} / {r(a4, b4, 'max_ms')} |")


def main():
    e = os.environ
    s32, s4, p32, p4, f32, f4 = (fields(n) for n in ("S32", "S4", "P32", "P4", "F32", "F4"))
    s_rss, p_rss = e["S_RSS"], e.get("P_RSS", "")
    first, fixed = fields("FIRST"), fields("FIXED")
    backlog_max, backlog_end = e["FIXED_BACKLOG"].split()
    peer = "prometheus-webhook-dingtalk v2.1 (Go, synchronous, signed)"
    answered = int(p32.get("requests", 0)) + int(p4.get("requests", 0))
    if p32 and int(e.get("PEER_FORWARDED") or 0) < answered:  # it answers before forwarding? then say so
        peer += f" ⚠ forwarded {e.get('PEER_FORWARDED')} for {answered} answers"
    print("| target | req/s, 32 conns | p99 ms, 32 conns | req/s, 4 conns | p50 / p99 ms, 4 conns | peak RSS "
          "| p50 / p99.9 / max ms, 32 conns | p99.9 / max ms, 4 conns |")
    print("|---|---|---|---|---|---|---|---|")
    print(row("this service (durable, signed)", s32, s4, f"{s_rss} MB"))
    print(row(peer, p32, p4, f"{p_rss} MB") if p32 else f"| {peer} | not present ({e.get('PEER_ABSENT', '')}) "
          "| – | – | – | – | – | – |")
    print(row("JDK floor: read body, write + fsync a file, 202", f32, f4, "–"))
    print()
    print("| ratio (req/s: higher is better for the service; ms and RSS: lower is better) | req/s, 32 conns "
          "| p99, 32 conns | req/s, 4 conns | p50 / p99, 4 conns | peak RSS | p50 / p99.9 / max, 32 conns "
          "| p99.9 / max, 4 conns |")
    print("|---|---|---|---|---|---|---|---|")
    print(ratio_row("this service / peer", s32, s4, s_rss, p32, p4, p_rss))
    print(ratio_row("this service / floor", s32, s4, s_rss, f32, f4, ""))
    print()
    print(f"| issue 16 goal | this run (DURATION={e['DURATION']}) | goal |")
    print("|---|---|---|")
    print(f"| durable ack throughput, service / floor at 32 conns | {ratio(s32['rps'], f32['rps'])} | ≥ 1.0 |")
    print(f"| light load: p99 at 4 conns, service / peer | {ratio(s4['p99_ms'], p4['p99_ms']) if p4 else '–'} "
          "| ≤ 1.0 |")
    print(f"| tail at 32 conns: p99.9 / max ack latency | {ms(s32['p999_ms'])} / {ms(s32['max_ms'])} ms "
          "| ≤ 50 / ≤ 500 ms over 60 s (DURATION=60s) |")
    print(f"| startup to the first routed webhook, median (each start) | {e['STARTUP_MS']} ms ({e['STARTUPS']}) "
          "| ≤ 2,500 ms |")
    print(f"| memory: peak RSS through the benchmark (VmHWM) | {s_rss} MB | ≤ 160 MB |")
    print(f"| first message at DingTalk after its 202, idle service: median / max (each) | "
          f"{first.get('median_ms', 'n/a')} / {first.get('max_ms', 'n/a')} ms ({first.get('each_ms', 'none')}"
          f"{', ' + first['missing'] + ' missing' if first.get('missing', '0') != '0' else ''}) | ≤ 300 ms |")
    print(f"| first message at DingTalk after a start's first 202 (each start) | {e['AFTER_START']} ms | ≤ 300 ms |")
    print(f"| delivery keeps up: backlog at {rate(fixed['rps'])} accepted/s over {e.get('ROBOTS', '4')} robots, "
          f"max / at the end | {backlog_max} / {backlog_end} | bounded |")


if __name__ == "__main__":
    main()
