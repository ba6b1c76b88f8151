#!/usr/bin/env bash
# The processor-in-the-loop matrix (issue 17): scripts/firmware-pil.sh on
# the two standard profiles (whole runs) and on every fault scenario under
# Profiles/faults (up to 50 ticks past the host build's first trip), then a
# table: profile, ticks compared, trip, result.
#
# Usage: scripts/firmware-pil-matrix.sh [PROFILE...]   (default: all of the above)
# Exit status: 0 every profile identical, 1 otherwise.
set -uo pipefail
# readlink: the docs runner calls this through a link to scripts/.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
profiles=("$@")
if [[ ${#profiles[@]} -eq 0 ]]; then
  profiles=(Profiles/cryolipolysis-35min.json Profiles/laser-lipolysis-25min.json)
  while IFS= read -r file; do profiles+=("$file"); done < <(find Profiles/faults -name '*.json' | sort)
fi
status=0
table=()
for profile in "${profiles[@]}"; do
  options=(--no-control)
  [[ "$profile" == Profiles/faults/* ]] && options+=(--until-trip)
  log="$(bash scripts/firmware-pil.sh "$profile" "${options[@]}" 2>&1)"
  result=$?
  line="$(grep -o 'firmware == host build: .*' <<<"$log" | sed 's/firmware == host build: //')"
  if [[ $result -eq 0 ]]; then
    table+=("$(printf '%-52s identical: %s' "$profile" "$line")")
  else
    status=1
    table+=("$(printf '%-52s DIFFERS OR FAILED: %s' "$profile" "$(grep FAIL <<<"$log" | head -1)")")
  fi
  echo "${table[-1]}"
done
echo
echo "firmware-pil-matrix: ${#profiles[@]} profiles, $( ((status == 0)) && echo "all identical" || echo "FAILURES")"
exit "$status"
