#!/usr/bin/env bash
# The target graph is the architecture: the core (ThermalLoop) may import the
# HAL contracts alone. This check proves that a forbidden import fails to
# build: in a scratch copy of the tracked files it adds `import <backend>` to
# a core file, for the Linux backends and for the simulated applicator, and
# asserts that `swift build --target ThermalLoop` fails on that import. A
# control build of the unchanged copy must succeed first.
#
# Usage: scripts/import-fence.sh   (about a minute; builds in a temporary folder)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly CORE_FILE=Sources/ThermalLoop/ControlLoop.swift
readonly FORBIDDEN=(ApplicatorLinux ApplicatorSimulation SCPI InstrumentProtocols DevsimKit)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$scratch"

build() {
  (cd "$scratch" && swift build --target ThermalLoop --scratch-path "$scratch/.build" \
    --explicit-target-dependency-import-check=error) >"$scratch/build.log" 2>&1
}

echo "import-fence: control: the unchanged core builds"
build || { tail -20 "$scratch/build.log" >&2; echo "import-fence: FAIL: the control build failed" >&2; exit 1; }
cp "$CORE_FILE" "$scratch/original.swift"
for module in "${FORBIDDEN[@]}"; do
  { echo "import $module"; cat "$scratch/original.swift"; } >"$scratch/$CORE_FILE"
  if build; then
    echo "import-fence: FAIL: ThermalLoop builds with 'import $module'" >&2
    exit 1
  fi
  if ! grep -Eq "no such module '$module'|imports another target \\($module\\)" "$scratch/build.log"; then
    tail -20 "$scratch/build.log" >&2
    echo "import-fence: FAIL: the build with 'import $module' failed for another reason" >&2
    exit 1
  fi
  echo "import-fence: 'import $module' in $CORE_FILE fails to build: ok"
done
echo "import-fence: OK"
