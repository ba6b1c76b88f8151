#!/usr/bin/env bash
# Builds a firmware image for QEMU's mps2-an386 (Cortex-M4, issue 17):
# Firmware/Board (startup, vector table, UART0, SysTick, semihosting, memory
# helpers; C) and an application written in Embedded Swift, linked by the
# toolchain's ld.lld with Firmware/Board/mps2-an386.ld and the soft-float
# helpers of the ARM bare-metal GCC's libgcc.a (thumb/v7e-m/nofp).
#
# Usage: scripts/firmware-build.sh hello
#        scripts/firmware-build.sh loop PROFILE
#   hello: Firmware/Hello (the chain alone).
#   loop:  Firmware/Loop with the control core (Sources' ApplicatorHAL and
#          ThermalLoop targets) configured from PROFILE by `devsim codegen`
#          (needs .build/release/devsim).
# Output: .build-firmware/<name>.elf, where <name> is `hello` or the
# profile's file name without .json; prints its size.
# Environment: DEVSIM (default .build/release/devsim); LIBGCC (default: the one scripts/firmware-libgcc.sh installs,
# .build-firmware/libgcc/libgcc.a); SWIFT_TOOLCHAIN_BIN (default: the
# directory of `swiftc` on PATH).
# Exit status: 0 built, 1 a step failed, 64 usage.
set -euo pipefail
shopt -s inherit_errexit
# readlink: the docs runner calls this through a link to scripts/.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# The manifest is read with a scratch path of our own: this may run under
# `swift test`, which holds .build's lock.
export TARGET_SOURCES_SCRATCH="${TARGET_SOURCES_SCRATCH:-.build-firmware/spm}"

readonly OUT=.build-firmware
readonly SWIFT_TARGET=armv7em-none-none-eabi
readonly C_TARGET=armv7em-none-eabi
usage() {
  echo "usage: $0 hello | loop PROFILE" >&2
  exit 64
}
fail() {
  echo "firmware-build: FAIL: $*" >&2
  exit 1
}
[[ $# -ge 1 ]] || usage
kind="$1"
case "$kind" in
  hello) [[ $# -eq 1 ]] || usage ;;
  loop) [[ $# -eq 2 ]] || usage ;;
  *) usage ;;
esac

if [[ -z "${SWIFT_TOOLCHAIN_BIN:-}" ]]; then
  SWIFT_TOOLCHAIN_BIN="$(dirname "$(readlink -f "$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)")")"
fi
readonly SWIFTC="$SWIFT_TOOLCHAIN_BIN/swiftc" CLANG="$SWIFT_TOOLCHAIN_BIN/clang"
readonly LLD="$SWIFT_TOOLCHAIN_BIN/ld.lld" OBJDUMP="$SWIFT_TOOLCHAIN_BIN/llvm-objdump"
LIBGCC="${LIBGCC:-$OUT/libgcc/libgcc.a}"
[[ -f "$LIBGCC" ]] || fail "no libgcc.a at $LIBGCC (run scripts/firmware-libgcc.sh, or set LIBGCC)"

mkdir -p "$OUT/board" "$OUT/module-cache"
readonly C_FLAGS=(--target="$C_TARGET" -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
  -ffreestanding -fno-builtin -ffunction-sections -fdata-sections -Os -g0 -Wall -Werror)
readonly SWIFT_FLAGS=(-target "$SWIFT_TARGET" -enable-experimental-feature Embedded
  -enable-experimental-feature Extern -wmo -parse-as-library -Osize
  -Xfrontend -disable-stack-protector -Xfrontend -function-sections
  -Xcc -mfloat-abi=soft -Xcc -mfpu=none -module-cache-path "$OUT/module-cache")

objects=()
for source in Firmware/Board/*.c; do
  object="$OUT/board/$(basename "$source" .c).o"
  "$CLANG" "${C_FLAGS[@]}" -c "$source" -o "$object" || fail "$source does not compile"
  objects+=("$object")
done

if [[ "$kind" == hello ]]; then
  name=hello
  mkdir -p "$OUT/$name"
  "$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name Hello -c -o "$OUT/$name/Hello.o" Firmware/Hello/*.swift \
    || fail "Firmware/Hello does not compile"
  objects+=("$OUT/$name/Hello.o")
else
  profile="$2"
  [[ -f "$profile" ]] || fail "no profile $profile"
  name="$(basename "$profile" .json)"
  devsim="${DEVSIM:-.build/release/devsim}"
  [[ -x "$devsim" ]] || fail "build devsim first: swift build -c release --product devsim"
  mkdir -p "$OUT/$name"
  # The profile's configuration, compiled in: one image per profile.
  "$devsim" codegen "$profile" -o "$OUT/$name/ProfileLoop.swift" \
    || fail "devsim codegen $profile failed"
  # The core does not depend on the profile: compiled once into $OUT/core,
  # again only when a source file or the flags change (a stamp of both).
  core="$OUT/core"
  mkdir -p "$core"
  hal_sources=()
  while IFS= read -r file; do hal_sources+=("$file"); done < <(scripts/target-sources.sh ApplicatorHAL)
  loop_sources=()
  while IFS= read -r file; do loop_sources+=("$file"); done < <(scripts/target-sources.sh ThermalLoop)
  [[ ${#hal_sources[@]} -gt 0 && ${#loop_sources[@]} -gt 0 ]] || fail "no sources for the core"
  stamp="$( (echo "${SWIFT_FLAGS[*]}" && cat "${hal_sources[@]}" "${loop_sources[@]}") \
    | sha256sum | cut -c1-64)"
  if [[ "$(cat "$core/stamp" 2>/dev/null)" != "$stamp" ]]; then
    rm -f "$core/stamp"
    "$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name ApplicatorHAL -emit-module \
      -emit-module-path "$core/ApplicatorHAL.swiftmodule" -c -o "$core/ApplicatorHAL.o" \
      "${hal_sources[@]}" || fail "ApplicatorHAL does not compile as Embedded Swift"
    "$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name ThermalLoop -I "$core" -emit-module \
      -emit-module-path "$core/ThermalLoop.swiftmodule" -c -o "$core/ThermalLoop.o" \
      "${loop_sources[@]}" || fail "ThermalLoop does not compile as Embedded Swift"
    echo "$stamp" >"$core/stamp"
  fi
  objects+=("$core/ThermalLoop.o" "$core/ApplicatorHAL.o")
  # The application, again only when it, the generated loop or the core changed.
  stamp="$(cat "$core/stamp" Firmware/Loop/*.swift "$OUT/$name/ProfileLoop.swift" | sha256sum | cut -c1-64)"
  if [[ ! -f "$OUT/$name/FirmwareLoop.o" || "$(cat "$OUT/$name/stamp" 2>/dev/null)" != "$stamp" ]]; then
    rm -f "$OUT/$name/stamp"
    "$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name FirmwareLoop -I "$core" -c \
      -o "$OUT/$name/FirmwareLoop.o" Firmware/Loop/*.swift "$OUT/$name/ProfileLoop.swift" \
      || fail "Firmware/Loop does not compile"
    echo "$stamp" >"$OUT/$name/stamp"
  fi
  objects+=("$OUT/$name/FirmwareLoop.o")
fi

image="$OUT/$name.elf"
"$LLD" --gc-sections -T Firmware/Board/mps2-an386.ld -o "$image.tmp" "${objects[@]}" "$LIBGCC" \
  || fail "the image does not link"
mv "$image.tmp" "$image"
echo "firmware-build: $image"
declare -A size=([.vectors]=0 [.text]=0 [.rodata]=0 [.ARM.exidx]=0 [.data]=0 [.bss]=0 [.stack]=0)
while read -r section bytes; do
  [[ -v "size[$section]" ]] && size[$section]=$((16#$bytes))
done < <("$OBJDUMP" -h "$image" | awk '$1 ~ /^[0-9]+$/ { print $2, $3 }')
echo "  text $((size[.vectors] + size[.text] + size[.rodata] + size[.ARM.exidx])) (vectors, code," \
  "read-only data), data ${size[.data]}, bss ${size[.bss]}, stack ${size[.stack]} bytes"
