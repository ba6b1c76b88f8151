#!/usr/bin/env bash
# Installs the one file the firmware link needs from the ARM bare-metal GCC:
# libgcc.a for Thumb, ARMv7E-M, no FPU (the soft-float double helpers
# __aeabi_dadd ..., the 64-bit division helpers), taken out of Debian's
# gcc-arm-none-eabi package without installing the toolchain (about 48 MB
# downloaded, one 9.5 MB file kept).
#
# Usage: scripts/firmware-libgcc.sh   (needs apt-get, dpkg-deb)
# Output: .build-firmware/libgcc/libgcc.a
set -euo pipefail
shopt -s inherit_errexit
# readlink: the docs runner calls this through a link to scripts/.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
readonly OUT=.build-firmware/libgcc
if [[ -f "$OUT/libgcc.a" ]]; then
  echo "firmware-libgcc: $OUT/libgcc.a (present)"
  exit 0
fi
mkdir -p "$OUT/download"
# With no package lists yet, update them once and try again.
(cd "$OUT/download" && apt-get download gcc-arm-none-eabi >/dev/null 2>&1) \
  || (apt-get update -qq && cd "$OUT/download" && apt-get download gcc-arm-none-eabi >/dev/null)
deb="$(ls "$OUT"/download/gcc-arm-none-eabi_*.deb)"
member="$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -E '/thumb/v7e-m/nofp/libgcc\.a$')"
dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$member" >"$OUT/libgcc.a.tmp"
mv "$OUT/libgcc.a.tmp" "$OUT/libgcc.a"
rm -rf "$OUT/download"
echo "firmware-libgcc: $OUT/libgcc.a from $(basename "$deb")"
