#!/usr/bin/env bash
# Embedded parity (issue 7): the control core built as Embedded Swift for
# this host computes the same commands as the normal build.
#
#  1. `devsim run` the standard cryolipolysis profile and write its telemetry;
#     `devsim replay` the same telemetry through the profile's loop (the
#     product decodes the profile itself).
#  2. Convert the telemetry into the parity program's binary input, exactly
#     as `devsim replay` reads it (scripts/ticks-from-telemetry.py).
#  3. Build Parity/ (a recorded applicator and a main that reads stdin) with
#     the profile's loop generated from the JSON by `devsim codegen`, twice
#     against the same core sources (the targets' files as Package.swift
#     lists them): as normal Swift (-O) and as Embedded Swift, for the host.
#  4. The two outputs must be identical byte for byte (commands as IEEE bit
#     patterns, states, trips), and the normal build's commands must equal
#     `devsim replay`'s sent commands as telemetry prints them (4 decimals),
#     which ties the generated configuration to the profile.
#
# Usage: scripts/embedded-parity.sh   (needs .build/release/devsim, python3)
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly PROFILE=Profiles/cryolipolysis-35min.json
readonly OUT=.build-embedded/parity
devsim=.build/release/devsim
[[ -x "$devsim" ]] || { echo "embedded-parity: build first: swift build -c release" >&2; exit 1; }
SWIFTC="$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)"
mkdir -p "$OUT/normal" "$OUT/embedded" "$OUT/module-cache"

fail() {
  echo "embedded-parity: FAIL: $*" >&2
  exit 1
}

echo "== 1. $PROFILE: run, then replay through the product's own loop"
"$devsim" run "$PROFILE" -o "$OUT/run.csv" --quiet
"$devsim" replay "$OUT/run.csv" --profile "$PROFILE" -o "$OUT/replay.csv" --quiet

echo "== 2. telemetry -> parity input"
python3 scripts/ticks-from-telemetry.py "$OUT/run.csv" "$OUT/input.bin"

hal_sources=()
while IFS= read -r file; do hal_sources+=("$file"); done < <(scripts/target-sources.sh ApplicatorHAL)
loop_sources=()
while IFS= read -r file; do loop_sources+=("$file"); done < <(scripts/target-sources.sh ThermalLoop)

# The profile's loop as Swift source, generated from the shipped JSON (an
# Embedded Swift build cannot read JSON; no hand copy can drift from it).
"$devsim" codegen "$PROFILE" -o "$OUT/ProfileLoop.swift"

# Builds the core and the parity program into $1 with extra flags $2...
build() {
  local dir="$1"
  shift
  local flags=(-O -wmo -module-cache-path "$OUT/module-cache" "$@")
  "$SWIFTC" "${flags[@]}" -parse-as-library -module-name ApplicatorHAL -emit-module \
    -emit-module-path "$dir/ApplicatorHAL.swiftmodule" -c -o "$dir/ApplicatorHAL.o" \
    "${hal_sources[@]}"
  "$SWIFTC" "${flags[@]}" -parse-as-library -module-name ThermalLoop -I "$dir" -emit-module \
    -emit-module-path "$dir/ThermalLoop.swiftmodule" -c -o "$dir/ThermalLoop.o" \
    "${loop_sources[@]}"
  "$SWIFTC" "${flags[@]}" -enable-experimental-feature Extern -module-name Parity -I "$dir" \
    -c -o "$dir/Parity.o" Parity/*.swift "$OUT/ProfileLoop.swift"
  "$SWIFTC" "${flags[@]}" -o "$dir/parity" "$dir/Parity.o" "$dir/ThermalLoop.o" \
    "$dir/ApplicatorHAL.o"
}

echo "== 3. build the core and Parity/ twice for the host"
build "$OUT/normal" || fail "the normal build failed"
build "$OUT/embedded" -enable-experimental-feature Embedded || fail "the Embedded Swift build failed"
# The normal build links the Swift runtime library; the embedded one carries
# its small runtime inside and needs only libc.
ldd "$OUT/normal/parity" | grep -q libswiftCore || fail "the normal build does not use libswiftCore"
if ldd "$OUT/embedded/parity" | grep -q libswiftCore; then
  fail "the embedded build links libswiftCore: not an Embedded Swift build"
fi

echo "== 4. compare"
"$OUT/normal/parity" <"$OUT/input.bin" >"$OUT/normal.txt"
"$OUT/embedded/parity" <"$OUT/input.bin" >"$OUT/embedded.txt"
ticks=$(wc -l <"$OUT/normal.txt")
[[ "$ticks" -gt 0 ]] || fail "the normal build printed nothing"
cmp -s "$OUT/normal.txt" "$OUT/embedded.txt" \
  || fail "Embedded and normal builds differ; first difference: $(diff "$OUT/normal.txt" "$OUT/embedded.txt" | head -3 | tr '\n' ' ')"
echo "   Embedded Swift == normal Swift: $ticks ticks, identical bit for bit"

python3 - "$OUT/normal.txt" "$OUT/replay.csv" <<'PY'
import csv, struct, sys
ours = [line.split() for line in open(sys.argv[1], encoding="utf-8")]
rows = [r for r in csv.reader(open(sys.argv[2], encoding="utf-8")) if r and not r[0].startswith("#")]
header, rows = rows[0], rows[1:]
col = {name: i for i, name in enumerate(header)}
# The replay has one more record: its closing one, in the finished state.
if len(rows) != len(ours) + 1:
    sys.exit(f"embedded-parity: FAIL: {len(ours)} parity ticks for {len(rows) - 1} replayed ones")
rows = rows[: len(ours)]
worst = 0.0
for k, (mine, theirs) in enumerate(zip(ours, rows)):
    command = struct.unpack("<d", struct.pack("<Q", int(mine[2], 16)))[0]
    printed = float(theirs[col["sent_command_fraction"]])
    worst = max(worst, abs(command - printed))
    if abs(command - printed) > 0.5e-4 + 1e-12:
        sys.exit(f"embedded-parity: FAIL: tick {k}: parity command {command!r}, devsim replay {printed}")
    if (int(mine[4], 16) != 0) != (theirs[col["trip"]] != ""):
        sys.exit(f"embedded-parity: FAIL: tick {k}: trips differ")
print(f"   normal build == devsim replay of the profile: {len(ours)} commands within the telemetry's 4 decimals (largest difference {worst:.1e})")
PY
echo "embedded-parity: OK"
