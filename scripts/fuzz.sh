#!/usr/bin/env bash
# Fuzzes devsim's parsers with libFuzzer (shipped with the Swift toolchain):
#
#   scpi       the rig's SCPI parser and formatter (round trips checked)
#   profile    the JSON parser and the profile decoders (plant, faults, safety)
#   board      the JSON parser and the board decoder
#   trace      the trace reader (replay)
#   telemetry  the telemetry reader (CSV and JSON Lines), then the plot drawn from it
#   mecom      the MeCom request and reply decoders (round trips through the encoders)
#   modbus     the Modbus RTU request and reply decoders (round trips through the encoders)
#   arroyo     the Arroyo/ILX reply readers (a number read is written and read back)
#
# Compiles the library targets (sources from `swift package describe`) module by module
# with -sanitize=fuzzer,address into .build-fuzz/modules/, then one binary,
# .build-fuzz/devsim-fuzz, with Fuzz/*.swift; FUZZ_TARGET picks the parser. A module is
# rebuilt only when a file of it (or one it depends on) changed. Each target runs for
# FUZZ_SECONDS (default 30) from its committed seeds, Fuzz/corpus/TARGET/, with
# Fuzz/dict/; inputs it finds go to .build-fuzz/corpus/TARGET/. Fails on any crash, trap,
# leak, address error or input taking over 10 s; the input is left in
# .build-fuzz/TARGET-crash-* (or -leak-, -timeout-). Prints the executions per target.
# FUZZ_PARALLEL=1 runs the targets at once (CI: one FUZZ_SECONDS of wall time for all).
# FUZZ_RUNS=N stops each target after N executions instead (FUZZ_SECONDS=0: no time
# limit), as the README's long run does.
#
#   scripts/fuzz.sh                          # every target, 30 s each
#   scripts/fuzz.sh profile board            # some
#   FUZZ_SECONDS=600 scripts/fuzz.sh trace   # longer
#   .build-fuzz/devsim-fuzz ...              # after a build: FUZZ_TARGET=trace, libFuzzer flags
set -euo pipefail
cd "$(dirname "$0")/.."

all=(scpi profile board trace telemetry mecom modbus arroyo)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for target in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $target "* ]] || { echo "fuzz: no target $target (${all[*]})" >&2; exit 64; }
done

seconds=${FUZZ_SECONDS:-30}
out=.build-fuzz
modules=$out/modules
binary=$out/devsim-fuzz
mkdir -p "$modules"

# What DevsimKit needs, and the instrument codecs, in dependency order. The manifest says
# which files make a target (as in scripts/target-sources.sh); read once, with a scratch
# path of our own so that a `swift build` running meanwhile does not hold us on its lock.
build_start=$(date +%s)
swift package --scratch-path "$out/spm" describe --type json >"$out/package.json" 2>/dev/null
changed=0
for module in ApplicatorHAL ApplicatorSimulation SCPI InstrumentProtocols ApplicatorLinux ThermalLoop \
  DevsimKit; do
  sources=()
  while IFS= read -r file; do sources+=("$file"); done < <(python3 -c '
import json, sys
for target in json.load(open(sys.argv[1]))["targets"]:
    if target["name"] == sys.argv[2]:
        for source in sorted(target["sources"]):
            print(target["path"] + "/" + source)
' "$out/package.json" "$module")
  [ ${#sources[@]} -gt 0 ] || { echo "fuzz: no sources for $module" >&2; exit 1; }
  object=$modules/$module.o
  if [ "$changed" -eq 0 ] && [ -f "$object" ] \
    && [ -z "$(find "${sources[@]}" scripts/fuzz.sh -newer "$object" | head -n 1)" ]; then
    continue
  fi
  changed=1
  echo "fuzz: compiling $module (${#sources[@]} files)"
  # The sanitizer runtime makes the linker warn about each of its local symbols: keep the
  # compiler's output out of sight unless the build fails.
  if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -wmo -swift-version 6 \
    -package-name devsim -module-name "$module" -I "$modules" \
    -emit-module -emit-module-path "$modules/$module.swiftmodule" \
    -c "${sources[@]}" -o "$object" >"$modules/$module.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$modules/$module.log" >&2 || true
    rm -f "$object"
    echo "fuzz: FAILED to compile $module" >&2
    exit 1
  fi
done
if [ "$changed" -eq 1 ] || [ ! -f "$binary" ] \
  || [ -n "$(find Fuzz "$modules" \( -name '*.swift' -o -name '*.o' \) -newer "$binary" | head -n 1)" ]; then
  echo "fuzz: linking $binary with Fuzz/*.swift"
  if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 \
    -package-name devsim -module-name DevsimFuzz -I "$modules" \
    Fuzz/*.swift "$modules"/*.o -o "$binary" >"$out/link.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$out/link.log" >&2 || true
    echo "fuzz: FAILED to link" >&2
    exit 1
  fi
fi
echo "fuzz: binary ready in $(($(date +%s) - build_start)) s"

max_len() {
  case $1 in
    scpi) echo 300 ;;        # a line is at most 256 bytes (SCPIParser.maximumLineBytes)
    profile) echo 4096 ;;    # the shipped profiles are 1-2 kB
    board) echo 4096 ;;      # boards/example-bench.json is 1 kB
    trace) echo 2048 ;;      # a header and a few rows
    telemetry) echo 4096 ;;  # a JSON Lines row is 500 bytes
    mecom) echo 80 ;;        # MeComFrame.maximumBytes is 64
    modbus) echo 300 ;;      # an RTU frame is at most 256 bytes
    arroyo) echo 300 ;;      # ArroyoLine.maximumBytes is 256
  esac
}
dict() {
  case $1 in
    trace | telemetry) echo Fuzz/dict/recording.dict ;;
    *) echo "Fuzz/dict/$1.dict" ;;
  esac
}

# Runs one target; prints its result line, fails on a finding.
run_target() {
  local target=$1 corpus=$out/corpus/$1 log=$out/$1.log status=0 runs rate started
  mkdir -p "$corpus"
  started=$(date +%s)
  FUZZ_TARGET=$target "$binary" "$corpus" "Fuzz/corpus/$target" -max_total_time="$seconds" \
    ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} \
    -max_len="$(max_len "$target")" -dict="$(dict "$target")" -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$out/$target-" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "fuzz: $target FAILED (exit $status) after ${runs:-?} executions; log: $log" >&2
    return 1
  fi
  echo "fuzz: $target OK: ${runs:-?} executions in $(($(date +%s) - started)) s (${rate:-?} exec/s), no crash"
}

failed=()
if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
  # All targets at once (CI): the wall time of one, the cores shared.
  echo "fuzz: ${targets[*]} at once for ${seconds} s"
  pids=()
  for target in "${targets[@]}"; do
    run_target "$target" &
    pids+=($!)
  done
  for index in "${!targets[@]}"; do
    wait "${pids[$index]}" || failed+=("${targets[$index]}")
  done
else
  for target in "${targets[@]}"; do
    echo "fuzz: $target for ${seconds} s"
    run_target "$target" || failed+=("$target")
  done
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
