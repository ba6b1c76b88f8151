#!/usr/bin/env bash
# Allocation check: the plant step and the whole loop allocate nothing per
# tick. valgrind's "total heap usage" for a run of 1,000 ticks must equal
# that of 100,000 ticks (telemetry goes to a discarding sink, so only
# start-up allocates; the byte total may differ by the few characters of the
# printed tick count). Needs a release build and valgrind.
set -euo pipefail
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
