#!/usr/bin/env bash
# A campaign run twice: in one process, and as SHARDS shard processes side
# by side (--shard i/SHARDS --json) merged by `devsim campaign-merge`. The
# merged text must be the one process's byte for byte, apart from the
# timing line ("campaign took ..."); the script fails on any difference.
#
#   bash scripts/campaign-shards.sh PROFILE RUNS SEED [SHARDS]
#
# Prints the one process's text, the shards' and the merge's timing lines;
# exits with the campaign's status (0: every run kept the invariants, 1: a
# run broke one), or 2 when the merge differs. Needs .build/release/devsim
# (or DEVSIM=path). The shard reports are kept when CAMPAIGN_SHARDS_KEEP
# names a directory.
set -euo pipefail
(($# >= 3 && $# <= 4)) || {
  echo "usage: bash scripts/campaign-shards.sh PROFILE RUNS SEED [SHARDS]" >&2
  exit 64
}
profile=$1 runs=$2 seed=$3 shards=${4:-4}
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
devsim=${DEVSIM:-$root/.build/release/devsim}
[[ -x "$devsim" ]] || { echo "campaign-shards: build first: swift build -c release" >&2; exit 1; }
work=${CAMPAIGN_SHARDS_KEEP:-$(mktemp -d)}
mkdir -p "$work"
[[ -n "${CAMPAIGN_SHARDS_KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT

status=0
"$devsim" campaign "$profile" --runs "$runs" --seed "$seed" >"$work/whole.txt" || status=$?
((status <= 1)) || { cat "$work/whole.txt"; exit "$status"; }
cat "$work/whole.txt"

# The shards side by side, one job each (their sum is the machine's cores
# on CI's 2-core machine, no more), then the merge.
pids=()
for ((i = 1; i <= shards; i++)); do
  "$devsim" campaign "$profile" --runs "$runs" --seed "$seed" --shard "$i/$shards" --jobs 1 \
    --json "$work/shard-$i.json" >"$work/shard-$i.txt" &
  pids+=($!)
done
for ((i = 1; i <= shards; i++)); do
  shard_status=0
  wait "${pids[$((i - 1))]}" || shard_status=$?
  ((shard_status <= 1)) || { cat "$work/shard-$i.txt"; exit "$shard_status"; }
  echo "shard $i/$shards: $(grep '^campaign took ' "$work/shard-$i.txt")"
done
merge_status=0
"$devsim" campaign-merge "$work"/shard-*.json --json "$work/merged.json" >"$work/merged.txt" ||
  merge_status=$?
((merge_status <= 1)) || { cat "$work/merged.txt"; exit "$merge_status"; }
echo "merged: $(grep '^campaign took ' "$work/merged.txt")"
if ! diff <(grep -v '^campaign took ' "$work/whole.txt") \
  <(grep -v '^campaign took ' "$work/merged.txt"); then
  echo "campaign-shards: FAIL: $shards shards merged differ from one process (above: < one process, > merged)" >&2
  exit 2
fi
((merge_status == status)) || {
  echo "campaign-shards: FAIL: one process exited $status, the merge $merge_status" >&2
  exit 2
}
echo "campaign-shards: $shards shards merged = one process ($runs runs, seed $seed)"
exit "$status"
