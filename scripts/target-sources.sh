#!/usr/bin/env bash
# Prints the source files of one SwiftPM target, one per line, relative to
# the repository root, from `swift package describe` (the package manifest is
# the one place that says which files make a target).
#
# Usage: scripts/target-sources.sh TARGET
# Environment: TARGET_SOURCES_SCRATCH, a SwiftPM scratch path other than
# .build, for callers that run while SwiftPM holds .build's lock (a test
# under `swift test` that builds the firmware).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -eq 1 ]] || { echo "usage: $0 TARGET" >&2; exit 64; }
swift package ${TARGET_SOURCES_SCRATCH:+--scratch-path "$TARGET_SOURCES_SCRATCH"} describe --type json \
  2>/dev/null | python3 -c '
import json, sys
name = sys.argv[1]
for target in json.load(sys.stdin)["targets"]:
    if target["name"] == name:
        for source in sorted(target["sources"]):
            print(target["path"] + "/" + source)
        sys.exit(0)
sys.exit(f"target-sources: no target {name} in Package.swift")
' "$1"
