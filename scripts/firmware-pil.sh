#!/usr/bin/env bash
# Processor in the loop (issue 17): the control core as a Cortex-M4 image
# under QEMU computes the same commands and trips as the host build, tick for
# tick, bit for bit, on the inputs of a simulated run of PROFILE.
#
#  1. `devsim run PROFILE` writes telemetry; scripts/ticks-from-telemetry.py
#     turns it into recorded ticks (what the loop read each tick).
#  2. The host build: Parity/ (normal Swift, -O, this machine) with the
#     profile's loop from `devsim codegen`, fed the ticks.
#  3. The firmware: scripts/firmware-build.sh loop PROFILE (the same core
#     sources and generated loop, Embedded Swift, soft-float Cortex-M4),
#     fed the same ticks in lockstep over UART0 by
#     scripts/firmware-lockstep.py (QEMU mps2-an386, -icount shift=0).
#  4. The two outputs (time, state, sent command and controller command as
#     IEEE bit patterns, tripped check) must be identical byte for byte.
#  5. Control: an image built from PROFILE with the proportional gain
#     changed by 1 % must differ from the host build within the first
#     CONTROL_TICKS ticks (default 1200: the standard cryolipolysis profile
#     leaves saturation at tick 739), so the comparison can fail.
#  6. With --link-faults: a corrupt frame, a dropped frame and a silent
#     host each put the firmware in its safe state within its bound.
#
# Usage: scripts/firmware-pil.sh PROFILE [--ticks N | --until-trip] [--link-faults] [--no-control]
#   --ticks N: compare the first N ticks only (default: the whole run)
#   --until-trip: compare up to 50 ticks past the host build's first trip
#     (the whole run if it does not trip)
# Needs: .build/release/devsim (or DEVSIM=path), qemu-system-arm, python3, libgcc.a
#   (scripts/firmware-libgcc.sh).
# Exit status: 0 identical (and safe under each link fault), 1 otherwise, 64 usage.
set -euo pipefail
shopt -s inherit_errexit
# readlink: the docs runner calls this through a link to scripts/.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# The manifest is read with a scratch path of our own: this may run under
# `swift test`, which holds .build's lock.
export TARGET_SOURCES_SCRATCH="${TARGET_SOURCES_SCRATCH:-.build-firmware/spm}"

usage() {
  echo "usage: $0 PROFILE [--ticks N | --until-trip] [--link-faults] [--no-control]" >&2
  exit 64
}
fail() {
  echo "firmware-pil: FAIL: $*" >&2
  exit 1
}
[[ $# -ge 1 ]] || usage
profile="$1"
shift
ticks_limit=""
link_faults=0
control=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ticks)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage
      ticks_limit="$2"
      shift 2
      ;;
    --until-trip) ticks_limit=until-trip && shift ;;
    --link-faults) link_faults=1 && shift ;;
    --no-control) control=0 && shift ;;
    *) usage ;;
  esac
done
[[ -f "$profile" ]] || { echo "firmware-pil: no profile $profile" >&2; exit 66; }
readonly devsim="${DEVSIM:-.build/release/devsim}"
[[ -x "$devsim" ]] || fail "build first: swift build -c release --product devsim"
name="$(basename "$profile" .json)"
readonly CONTROL_TICKS="${CONTROL_TICKS:-1200}"
readonly OUT=".build-firmware/pil/$name"
mkdir -p "$OUT/host" .build-firmware/pil/module-cache

echo "== $profile"
"$devsim" run "$profile" -o "$OUT/run.csv" --quiet || [[ $? -eq 1 ]] \
  || fail "devsim run $profile failed"
python3 scripts/ticks-from-telemetry.py "$OUT/run.csv" "$OUT/ticks.bin"

# The host build of the core, as scripts/embedded-parity.sh builds it.
hal_sources=()
while IFS= read -r file; do hal_sources+=("$file"); done < <(scripts/target-sources.sh ApplicatorHAL)
loop_sources=()
while IFS= read -r file; do loop_sources+=("$file"); done < <(scripts/target-sources.sh ThermalLoop)
"$devsim" codegen "$profile" -o "$OUT/host/ProfileLoop.swift"
# The core is compiled once for all profiles (a stamp of its sources).
core=.build-firmware/pil/host-core
mkdir -p "$core"
flags=(-O -wmo -module-cache-path .build-firmware/pil/module-cache)
stamp="$( (echo "${flags[*]}" && cat "${hal_sources[@]}" "${loop_sources[@]}") | sha256sum | cut -c1-64)"
if [[ "$(cat "$core/stamp" 2>/dev/null)" != "$stamp" ]]; then
  rm -f "$core/stamp"
  swiftc "${flags[@]}" -parse-as-library -module-name ApplicatorHAL -emit-module \
    -emit-module-path "$core/ApplicatorHAL.swiftmodule" -c -o "$core/ApplicatorHAL.o" \
    "${hal_sources[@]}"
  swiftc "${flags[@]}" -parse-as-library -module-name ThermalLoop -I "$core" -emit-module \
    -emit-module-path "$core/ThermalLoop.swiftmodule" -c -o "$core/ThermalLoop.o" \
    "${loop_sources[@]}"
  echo "$stamp" >"$core/stamp"
fi
stamp="$(cat "$core/stamp" Parity/*.swift "$OUT/host/ProfileLoop.swift" | sha256sum | cut -c1-64)"
if [[ ! -x "$OUT/host/parity" || "$(cat "$OUT/host/stamp" 2>/dev/null)" != "$stamp" ]]; then
  rm -f "$OUT/host/stamp"
  swiftc "${flags[@]}" -enable-experimental-feature Extern -module-name Parity -I "$core" \
    -c -o "$OUT/host/Parity.o" Parity/*.swift "$OUT/host/ProfileLoop.swift"
  swiftc "${flags[@]}" -o "$OUT/host/parity" "$OUT/host/Parity.o" "$core/ThermalLoop.o" \
    "$core/ApplicatorHAL.o"
  echo "$stamp" >"$OUT/host/stamp"
fi
"$OUT/host/parity" <"$OUT/ticks.bin" >"$OUT/host-all.txt"
if [[ "$ticks_limit" == until-trip ]]; then
  first_trip=$(awk '$5 != "0" { print NR; exit }' "$OUT/host-all.txt")
  if [[ -n "$first_trip" ]]; then
    ticks_limit=$((first_trip + 50))
  else
    ticks_limit=""
  fi
fi
limit=()
[[ -n "$ticks_limit" ]] && limit=(--ticks-limit "$ticks_limit")
if [[ -n "$ticks_limit" ]]; then
  head -n "$ticks_limit" "$OUT/host-all.txt" >"$OUT/host.txt"
else
  cp "$OUT/host-all.txt" "$OUT/host.txt"
fi

bash scripts/firmware-build.sh loop "$profile"
image=".build-firmware/$name.elf"
python3 scripts/firmware-lockstep.py "$image" "$OUT/ticks.bin" -o "$OUT/firmware.txt" "${limit[@]}" \
  || fail "the lockstep run failed"
compared=$(wc -l <"$OUT/host.txt")
[[ "$compared" -gt 0 ]] || fail "the host build printed nothing"
cmp -s "$OUT/host.txt" "$OUT/firmware.txt" \
  || fail "firmware and host build differ; first difference (time state command controller trip): $(diff "$OUT/host.txt" "$OUT/firmware.txt" | head -3 | tr '\n' ' ')"
trip=$(awk '$5 != "0" { print NR, $5; exit }' "$OUT/host.txt")
trip_text="no trip"
[[ -n "$trip" ]] && trip_text="trip $(python3 scripts/check-name.py "${trip#* }") at tick ${trip% *}"
echo "   firmware == host build: $compared ticks, commands and trips identical bit for bit ($trip_text)"

if [[ "$control" -eq 1 ]]; then
  echo "== control: the proportional gain changed by 1 % in the image"
  mkdir -p "$OUT/control"
  python3 - "$profile" "$OUT/control/$name-gain.json" <<'PY'
import json, sys
profile = json.load(open(sys.argv[1], encoding="utf-8"))
profile["controller"]["kp"] *= 1.01
json.dump(profile, open(sys.argv[2], "w", encoding="utf-8"), indent=2)
PY
  bash scripts/firmware-build.sh loop "$OUT/control/$name-gain.json" >/dev/null
  python3 scripts/firmware-lockstep.py ".build-firmware/$name-gain.elf" "$OUT/ticks.bin" \
    -o "$OUT/control.txt" --ticks-limit "$CONTROL_TICKS" 2>/dev/null \
    || fail "the control's lockstep run failed"
  head -n "$CONTROL_TICKS" "$OUT/host-all.txt" >"$OUT/host-control.txt"
  if cmp -s "$OUT/host-control.txt" "$OUT/control.txt"; then
    fail "control: an image with a changed gain matched the host build"
  fi
  echo "   the changed image differs from line $(cmp "$OUT/host-control.txt" "$OUT/control.txt" | sed -n 's/.* line \([0-9]*\)$/\1/p') of $CONTROL_TICKS: the comparison can fail"
fi

if [[ "$link_faults" -eq 1 ]]; then
  echo "== link faults (tick 50)"
  python3 scripts/firmware-lockstep.py "$image" "$OUT/ticks.bin" -o "$OUT/corrupt.txt" --corrupt-at 50 \
    || fail "a corrupt frame did not put the firmware in its safe state"
  python3 scripts/firmware-lockstep.py "$image" "$OUT/ticks.bin" -o "$OUT/drop.txt" --drop-at 50 \
    || fail "a dropped frame did not put the firmware in its safe state"
  python3 scripts/firmware-lockstep.py "$image" "$OUT/ticks.bin" -o "$OUT/stall.txt" --stall-at 50 \
    || fail "a silent host did not put the firmware in its safe state"
fi
echo "firmware-pil: OK"
