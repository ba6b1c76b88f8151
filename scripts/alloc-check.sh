#!/usr/bin/env bash
# Allocation check: the plant step and the whole loop allocate nothing per
# tick. valgrind's "total heap usage" for a run of 1,000 ticks must equal
# that of 100,000 ticks (telemetry goes to a discarding sink, so only
# start-up allocates; the byte total may differ by the few characters of the
# printed tick count). Then callgrind: the number of calls to the Swift
# runtime's reference counting (swift_retain, swift_release and their
# variants) and to malloc must not grow with the number of ticks either.
# (The counting is the same that shows retains tripling when `devsim validate`
# reads three profiles instead of one.) Needs a release build, valgrind and python3.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

binary=.build/release/devsim
[ -x "$binary" ] || { echo "alloc-check: build first: swift build -c release" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "alloc-check: valgrind is not installed" >&2; exit 2; }

heap_usage() {
  valgrind --tool=memcheck --leak-check=no "$binary" bench plant --ticks "$1" 2>&1 >/dev/null |
    sed -n 's/.*total heap usage: \([0-9,]*\) allocs, \([0-9,]*\) frees.*/\1 allocs, \2 frees/p'
}

small=$(heap_usage 1000)
large=$(heap_usage 100000)
echo "1,000 ticks:   $small"
echo "100,000 ticks: $large"
if [ -z "$small" ] || [ "$small" != "$large" ]; then
  echo "alloc-check: FAILED: the heap count grows with the number of ticks" >&2
  exit 1
fi
echo "alloc-check: OK: no allocation per tick (plant step and whole loop)"

# Calls per callee, summed over every call site in a callgrind output file
# (callgrind writes `cfn=(id) name` once per name, then `cfn=(id)`, each
# followed by `calls=<count> ...`).
runtime_calls() {
  local out
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" bench plant --ticks "$1" \
    >/dev/null 2>&1 || { echo "alloc-check: callgrind failed" >&2; return 1; }
  python3 - "$out" <<'PY'
import re, sys
names, totals, callee = {}, {}, None
pattern = re.compile(r"^(swift_(retain|release|nonatomic_retain|nonatomic_release|bridgeObjectRetain|bridgeObjectRelease|unknownObjectRetain|unknownObjectRelease)(_n)?|malloc|calloc|realloc)$")
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line.startswith("cfn="):
        m = re.match(r"cfn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
        if m:
            if m.group(2): names[m.group(1)] = m.group(2)
            callee = names.get(m.group(1))
    elif line.startswith("calls=") and callee is not None:
        if pattern.match(callee):
            totals[callee] = totals.get(callee, 0) + int(line.split()[0][6:])
        callee = None
    elif line.startswith("fn="):
        m = re.match(r"fn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
        if m and m.group(2): names[m.group(1)] = m.group(2)
# A run that starts up at all calls malloc and swift_retain: finding neither
# means the parsing found nothing, which must not pass as "no growth".
if not totals.get("malloc") or not totals.get("swift_retain"):
    sys.exit("alloc-check: no malloc or swift_retain calls found in the callgrind output")
print(" ".join(f"{name}={count}" for name, count in sorted(totals.items())))
PY
  rm -f "$out"
}

small_calls=$(runtime_calls 1000)
large_calls=$(runtime_calls 100000)
echo "1,000 ticks:   $small_calls"
echo "100,000 ticks: $large_calls"
if [ "$small_calls" != "$large_calls" ]; then
  echo "alloc-check: FAILED: retain/release or malloc calls grow with the number of ticks" >&2
  exit 1
fi
echo "alloc-check: OK: no retain, release or malloc per tick (callgrind call counts)"
