#!/usr/bin/env bash
# Runs a firmware image under QEMU's mps2-an386 with UART0 on this script's
# standard input and output, and ends with the image's own exit status (set
# through semihosting). A time limit guards against an image that never ends.
#
# Usage: scripts/firmware-run.sh IMAGE [SECONDS]   (default 20 s)
#   e.g. scripts/firmware-run.sh .build-firmware/hello.elf </dev/null
# Exit status: the image's (0 for the hello image; 3 after a fault report),
# 124 if QEMU had to be stopped at the time limit, 64 usage.
set -euo pipefail
[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 IMAGE [SECONDS]" >&2; exit 64; }
image="$1"
seconds="${2:-20}"
[[ -f "$image" ]] || { echo "firmware-run: no image $image" >&2; exit 66; }
exec timeout "$seconds" qemu-system-arm -M mps2-an386 -nographic -monitor none \
  -semihosting-config enable=on,target=native -serial stdio -kernel "$image"
