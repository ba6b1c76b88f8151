#!/usr/bin/env bash
# Fuzzes the rig's SCPI parser and formatter with libFuzzer (shipped with the Swift toolchain).
# Compiles the SCPI target's sources with Fuzz/SCPIFuzzEntry.swift into
# .build-fuzz/, seeds .build-fuzz/corpus with a few valid lines, runs for FUZZ_SECONDS
# (default 30) and fails on any crash, leak or trap (the crashing input is left in
# .build-fuzz/crash-*). Prints the number of executions.
#
#   scripts/fuzz-scpi.sh                   # 30 s
#   FUZZ_SECONDS=600 scripts/fuzz-scpi.sh  # longer
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
out=.build-fuzz
corpus=$out/corpus
binary=$out/scpi-fuzz
log=$out/scpi-fuzz.log
mkdir -p "$corpus"

sources=()
while IFS= read -r file; do sources+=("$file"); done < <(scripts/target-sources.sh SCPI)
echo "fuzz-scpi: compiling ${#sources[@]} SCPI sources + Fuzz/SCPIFuzzEntry.swift"
# The sanitizer runtime makes ld.gold warn about each of its local symbols: keep the
# compiler's output out of sight unless the build fails.
if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name SCPIFuzz \
  "${sources[@]}" Fuzz/SCPIFuzzEntry.swift -o "$binary" >"$out/compile.log" 2>&1; then
  grep -v 'Cannot export local symbol' "$out/compile.log" >&2 || true
  echo "fuzz-scpi: FAILED to compile" >&2
  exit 1
fi

seed() { printf '%s' "$2" >"$corpus/seed-$1"; }
seed idn '*IDN?'
seed reset '*RST;*CLS'
seed power 'SOUR:FUNC POW;:SOUR:POW -0.25;SOUR:POW?'
seed lease 'source:power:lease 5.0E-01'
seed temperature 'SOURce:TEMPerature 4.2e1;MEAS:TEMP? 2'
seed output 'OUTP ON;OUTPut?;SYST:ERR?'
seed limits 'SOUR:TEMP:PROT:LOW MIN;SOUR:TEMP:PROT:HIGH MAX;SOUR:POW:LEAS DEF'
seed fault "SIM:FAUL OPEN,1;SIM:FAUL NONE;SIM:FAUL 'it''s',\"a \"\"b\"\"\""
seed numbers 'SOUR:POW +.5,-1.,12,1.2E+01,1e-3'
seed crlf $'*OPC?\r'
# Found by this fuzzer once: a quote followed by a combining mark (U+05AB).
seed combining $'SIM:FAUL "b""\xd6\xab"'

# SCPI tokens, so mutations build headers and numbers rather than random bytes.
dict=$out/scpi.dict
printf '%s\n' '":"' '";"' '"?"' '","' '"*"' '" "' '"\x22"' "\"'\"" '"E+"' '"e-"' '"."' \
  '"MIN"' '"MAXimum"' '"DEF"' '"ON"' '"OFF"' '"SOUR"' '"POWer"' '"LEAS"' '"MEAS"' \
  '"TEMPerature"' '"OUTP"' '"SYST:ERR?"' '"*IDN?"' '"9.91E37"' '"1.7977E+308"' >"$dict"

echo "fuzz-scpi: running for ${seconds} s"
status=0
"$binary" "$corpus" -max_total_time="$seconds" -max_len=300 -print_final_stats=1 \
  -dict="$dict" -artifact_prefix="$out/" >"$log" 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
if [ "$status" -ne 0 ]; then
  tail -n 40 "$log" >&2
  echo "fuzz-scpi: FAILED (exit $status) after ${runs:-?} executions; log: $log" >&2
  exit 1
fi
echo "fuzz-scpi: OK: ${runs:-?} executions in ${seconds} s (${rate:-?} exec/s), no crash"
