#!/usr/bin/env bash
# Fuzzes the rig's SCPI parser: scripts/fuzz.sh scpi (kept for its old callers).
#
#   scripts/fuzz-scpi.sh                   # 30 s
#   FUZZ_SECONDS=600 scripts/fuzz-scpi.sh  # longer
exec "$(dirname "$0")/fuzz.sh" scpi
