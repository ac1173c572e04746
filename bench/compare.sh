#!/usr/bin/env bash
# Before/after in one session: bench/compare.sh <git ref> [pairs]
# Builds <ref> in a temporary worktree, then runs bench/run.sh (standard) for <ref> and for this working
# tree alternately, PAIRS times (3), so drift of the machine hits both alike, and prints each pair and
# the medians with new/old ratios. Each run's own table goes to target/bench-compare/, the summary to
# stdout (paste it into bench/results.md). Build this tree first: mvn -B package -DskipTests.
# The Go peer is not run (it does not change between the two); PEER_DIR=dir runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${1:?usage: bench/compare.sh <git ref> [pairs]}
PAIRS=${2:-3}
OUT=$PWD/target/bench-compare; mkdir -p "$OUT"
OLD=$(mktemp -d)/old
git worktree add -q --detach "$OLD" "$REF"
trap 'git worktree remove --force "$OLD" >/dev/null 2>&1 || true' EXIT
(cd "$OLD" && mvn -B -q -o package -DskipTests >/dev/null 2>&1 || mvn -B -q package -DskipTests)
# The same benchmark script for both: this tree's, run from the old tree's root.
cp bench/* "$OLD/bench/"

run() {  # run <label> <dir> <n>
  rm -f "$OUT/$1-$3.md"
  (cd "$2" && PEER_DIR=${PEER_DIR:-none} RESULTS_FILE="$OUT/$1-$3.md" bench/run.sh > "$OUT/$1-$3.log" 2>&1) || { tail "$OUT/$1-$3.log"; exit 1; }
}
for i in $(seq 1 "$PAIRS"); do
  echo "pair $i of $PAIRS: $REF, then this tree" >&2
  run old "$OLD" "$i"
  run new "$PWD" "$i"
done

python3 - "$OUT" "$PAIRS" "$REF" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main routes templates kamelets jvm.options || echo '+changes')" <<'PY'
import re, statistics, sys
out, pairs, ref, head = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def figures(path):
    t = open(path, encoding="utf-8").read()
    row = lambda label: re.search(r"^\| " + re.escape(label) + r"[^|]*\| (.*) \|$", t, re.M).group(1)
    num = lambda s, i=0: float((re.findall(r"\d[\d,]*(?:\.\d+)?", s) + ["nan"] * 3)[i].replace(",", ""))
    fixed = row("fixed rate")
    service = row("this service (durable").split(" | ")  # issue 16's table: 32 conns, then 4
    return {
        "startup ms": num(row("startup to first accepted request")),
        "max-rate req/s": num(row("accepted req/s, maximum rate")),
        "floor req/s": num(row("floor req/s")),
        "service/floor %": num(row("service / floor")),
        "max-rate p99 ms": num(row("ack latency at maximum rate"), 1),
        "delivered during max-rate msg/s": num(row("delivered msg/s during")),
        "drained at msg/s": num(row("delivered msg/s during"), 1),
        "fixed-rate p99 ms": num(fixed.split(",", 1)[1], 1),
        "peak RSS MB": num(row("peak RSS")),
        "4-conn req/s": num(service[2]),
        "4-conn p99 ms": num(service[3], 1),
        "max-rate max ms": num(row("tail at 32 conns"), 1),
        # may be below 0: the message can reach the stand-in before the client has read the 202
        "first message after its 202, median ms": float((re.findall(r"^ *(-?[\d.]+)",
                                                          row("first message at DingTalk after its 202")) + ["nan"])[0]),
    }
old = [figures(f"{out}/old-{i}.md") for i in range(1, pairs + 1)]
new = [figures(f"{out}/new-{i}.md") for i in range(1, pairs + 1)]
print(f"| figure ({pairs} interleaved pairs) | {ref}: each run | {head}: each run | median old → new | new / old |")
print("|---|---|---|---|---|")
for k in old[0]:
    o = [r[k] for r in old]; n = [r[k] for r in new]
    mo, mn = statistics.median(o), statistics.median(n)
    fmt = lambda xs: " / ".join(f"{x:g}" for x in xs)
    print(f"| {k} | {fmt(o)} | {fmt(n)} | {mo:g} → {mn:g} | {mn / mo if mo else float('nan'):.2f} |")
PY
