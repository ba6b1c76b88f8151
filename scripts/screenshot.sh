#!/usr/bin/env bash
# Screenshots of what devsim draws, as a person sees them in a browser:
# headless Chromium (Debian's `chromium` package) renders a run plot (SVG,
# 1200×800: temperatures, the window zoom, the command) and a suite report
# (HTML, 1200×700) to PNG.
#
#   bash scripts/screenshot.sh [OUTPUT_DIR]      (default: docs/images)
#
# Writes plot-cryolipolysis.png (a normal run), plot-cryo-trip.png (a run
# that trips) and suite-report.png (a small suite with one failure first).
# DEVSIM names the devsim binary (default: the release build, built if
# missing); CHROMIUM the browser (default: chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/images}
chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" >/dev/null; then
  echo "screenshot.sh: $chromium not found (apt-get install chromium)" >&2
  exit 69
fi
if [[ -z "${DEVSIM:-}" ]]; then
  DEVSIM=.build/release/devsim
  [[ -x $DEVSIM ]] || swift build -c release --product devsim >&2
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One file to one PNG (at $3, default 1200,700): a fresh browser profile
# each time, no GPU, no scroll bars.
shoot() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --force-device-scale-factor=1 --window-size="${3:-1200,700}" \
    --screenshot="$2" "file://$(realpath "$1")" >/dev/null 2>&1
  [[ -s $2 ]] || { echo "screenshot.sh: no screenshot of $1" >&2; exit 1; }
}

"$DEVSIM" run Profiles/cryolipolysis-35min.json --plot "$work/cryolipolysis.svg" --quiet
"$DEVSIM" run Profiles/faults/cryo-plate-open.json --plot "$work/cryo-trip.svg" --quiet
# The report: a normal run, a trip that was expected, and a copy of the same
# fault that expects the wrong check (so it fails and is listed first).
mkdir -p "$work/demo-suite"
cp Profiles/cryolipolysis-35min.json Profiles/laser-lipolysis-25min.json \
  Profiles/faults/cryo-plate-open.json "$work/demo-suite/"
sed -e 's/"check": "sensor-plausibility"/"check": "hard-low"/' \
  -e 's/"name": "cryo-plate-open"/"name": "cryo-plate-open-expects-hard-low"/' \
  Profiles/faults/cryo-plate-open.json >"$work/demo-suite/cryo-plate-open-expects-hard-low.json"
devsim=$(realpath "$DEVSIM")
(cd "$work" && "$devsim" suite demo-suite --html suite.html --quiet >/dev/null) || true
[[ -s $work/suite.html ]] || { echo "screenshot.sh: no suite report" >&2; exit 1; }

shoot "$work/cryolipolysis.svg" "$out/plot-cryolipolysis.png" 1200,800
shoot "$work/cryo-trip.svg" "$out/plot-cryo-trip.png" 1200,800
shoot "$work/suite.html" "$out/suite-report.png"
# Smaller files for the repository, where pngquant is installed (optional).
if command -v pngquant >/dev/null; then
  for png in "$out"/plot-cryolipolysis.png "$out"/plot-cryo-trip.png "$out"/suite-report.png; do
    pngquant --quality 70-95 --speed 1 --force --output "$png" "$png"
  done
fi
ls -l "$out"/plot-cryolipolysis.png "$out"/plot-cryo-trip.png "$out"/suite-report.png
