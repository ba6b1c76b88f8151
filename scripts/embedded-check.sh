#!/usr/bin/env bash
# Embedded Swift check (DESIGN.md 2.3): the control core cross-compiles for a
# Cortex-M4F and nothing that needs the heap or an operating system is
# reachable from the tick.
#
#  1. Compiles the embedded-clean targets (ApplicatorHAL's contracts, the
#     simulated applicator, ThermalLoop), each from the sources Package.swift
#     gives it, and Firmware/ (the C entry points) as modules importing them,
#     Embedded Swift, armv7em-none-none-eabi, one function per section.
#  2. For each C entry point of Firmware/TickEntry.swift,
#     links with `ld.lld --gc-sections --entry=<symbol>`, so only what that
#     symbol reaches survives, and lists what stays undefined (llvm-nm -u on an
#     image linked with --unresolved-symbols=ignore-all, cross-checked against
#     lld's own undefined-symbol errors).
#  3. Fails if a reachable undefined symbol is not on the allow-list below, or
#     if a Swift runtime heap/refcount entry point (swift_allocObject,
#     swift_retain, ...) is reachable. Embedded Swift emits those runtime
#     functions *into* the objects, so they are defined, not undefined: the
#     check looks for them among the linked image's defined symbols.
#  4. Proves the method on a control: a C canary where the entry calls malloc
#     and an unreachable function calls write(2); the check must see malloc,
#     must not see write, and must flag malloc.
#
# Usage, from the repository root (the script cds there itself, so any
# working directory does):
#   scripts/embedded-check.sh
# Environment: SWIFT_TOOLCHAIN_BIN (default: the directory of `swiftc` on PATH,
# else /opt/swift/usr/bin); LLVM_SIZE (default: llvm-size from the toolchain,
# else from PATH).
# Outputs: .build-embedded/{modules,obj,link}/ (gitignored via `.build*`).
# Exit status: 0 clean, 1 a forbidden symbol is reachable or a step failed.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly TARGET=armv7em-none-none-eabi
readonly OUT=.build-embedded
# The entry points to check; the first is the tick.
readonly ENTRIES=(thermal_loop_tick thermal_loop_telemetry_push)

# --- The allow-list: what a tick may leave for the platform to provide. ------
# ARM run-time ABI (RTABI) helpers: soft-float double and float arithmetic,
# comparisons and conversions, 64-bit integer helpers, and the memory helpers.
readonly ALLOWED_UNDEFINED=(
  # double precision
  __aeabi_dadd __aeabi_dsub __aeabi_drsub __aeabi_dmul __aeabi_ddiv __aeabi_dneg
  __aeabi_dcmpeq __aeabi_dcmplt __aeabi_dcmple __aeabi_dcmpge __aeabi_dcmpgt __aeabi_dcmpun
  __aeabi_cdcmpeq __aeabi_cdcmple __aeabi_cdrcmple
  # single precision (the M4F's FPU handles these in hardware under hard-float;
  # listed for soft-float builds)
  __aeabi_fadd __aeabi_fsub __aeabi_frsub __aeabi_fmul __aeabi_fdiv __aeabi_fneg
  __aeabi_fcmpeq __aeabi_fcmplt __aeabi_fcmple __aeabi_fcmpge __aeabi_fcmpgt __aeabi_fcmpun
  __aeabi_cfcmpeq __aeabi_cfcmple __aeabi_cfrcmple
  # conversions
  __aeabi_d2iz __aeabi_d2uiz __aeabi_d2lz __aeabi_d2ulz __aeabi_d2f __aeabi_d2h
  __aeabi_f2iz __aeabi_f2uiz __aeabi_f2lz __aeabi_f2ulz __aeabi_f2d __aeabi_f2h __aeabi_h2f
  __aeabi_i2d __aeabi_ui2d __aeabi_l2d __aeabi_ul2d
  __aeabi_i2f __aeabi_ui2f __aeabi_l2f __aeabi_ul2f
  # integer helpers
  __aeabi_idiv __aeabi_uidiv __aeabi_idivmod __aeabi_uidivmod
  __aeabi_ldivmod __aeabi_uldivmod __aeabi_lmul
  __aeabi_llsl __aeabi_llsr __aeabi_lasr __aeabi_lcmp __aeabi_ulcmp
  # memory
  __aeabi_memcpy __aeabi_memcpy4 __aeabi_memcpy8
  __aeabi_memmove __aeabi_memmove4 __aeabi_memmove8
  __aeabi_memset __aeabi_memset4 __aeabi_memset8
  __aeabi_memclr __aeabi_memclr4 __aeabi_memclr8
  memcpy memmove memset
)
# Heap and OS names, only to label a failure (anything off the allow-list fails).
readonly HEAP_PATTERN='^(malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memalign|valloc|pvalloc|malloc_usable_size|_Zn[wa].*|_Zd[la].*|sbrk|_sbrk|brk|swift_.*|_swift_.*)$'
readonly OS_PATTERN='^(_?_?(write|read|open|openat|close|lseek|ioctl|fcntl|poll|select|mmap|munmap|mprotect|fstat|stat|isatty|getpid|kill|raise|signal|sigaction|abort|exit|_exit|_Exit|atexit|nanosleep|usleep|sleep|time|gettimeofday|sysconf|syscall|errno|__errno|__errno_location|environ|getenv|putchar|puts|printf|fprintf|vprintf|snprintf|fwrite|fputs|fflush|stdout|stderr|arc4random.*|getrandom|dl.*)|clock_.*|pthread_.*|sched_.*|sem_.*|__stack_chk_.*|__cxa_.*|_Unwind_.*|__aeabi_unwind_.*|__aeabi_atexit)$'
# Swift runtime entry points that mean heap allocation or reference counting.
# Embedded Swift writes some of them in Swift: `$es17swift_allocObject...`.
readonly RUNTIME_DENY_PATTERN='^(\$es[0-9]+)?swift_(allocObject|allocEmptyBox|allocBox|slowAlloc|slowDealloc|dealloc|initStackObject|coroFrameAlloc|retain|release|nonatomic_retain|nonatomic_release|bridgeObjectRetain|bridgeObjectRelease|unknownObjectRetain|unknownObjectRelease|setDeallocating)|^(malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memalign)$'
readonly RUNTIME_PATTERN='^(_?|\$es[0-9]+)swift_'

# --- Tools. --------------------------------------------------------------------
if [[ -z "${SWIFT_TOOLCHAIN_BIN:-}" ]]; then
  if command -v swiftc >/dev/null 2>&1; then
    SWIFT_TOOLCHAIN_BIN="$(dirname "$(readlink -f "$(command -v swiftc)")")"
  else
    SWIFT_TOOLCHAIN_BIN=/opt/swift/usr/bin
  fi
fi

fail() {
  echo "embedded-check: FAIL: $*" >&2
  exit 1
}

# Finds a tool in the toolchain, else on PATH.
tool() {
  local name
  for name in "$@"; do
    if [[ -x "$SWIFT_TOOLCHAIN_BIN/$name" ]]; then
      echo "$SWIFT_TOOLCHAIN_BIN/$name"
      return 0
    fi
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

SWIFTC="$(tool swiftc)" || fail "swiftc not found (set SWIFT_TOOLCHAIN_BIN)"
CLANG="$(tool clang)" || fail "clang not found (set SWIFT_TOOLCHAIN_BIN)"
LLD="$(tool ld.lld)" || fail "ld.lld not found (set SWIFT_TOOLCHAIN_BIN)"
NM="$(tool llvm-nm)" || fail "llvm-nm not found (set SWIFT_TOOLCHAIN_BIN)"
OBJDUMP="$(tool llvm-objdump)" || fail "llvm-objdump not found (set SWIFT_TOOLCHAIN_BIN)"
DEMANGLE="$(tool swift-demangle)" || DEMANGLE=cat
# The 6.3 Linux toolchain ships no llvm-size; any llvm-size reads ARM ELF.
LLVM_SIZE="${LLVM_SIZE:-$(tool llvm-size llvm-size-21 llvm-size-20 llvm-size-19 llvm-size-18 \
  llvm-size-17 llvm-size-16 llvm-size-15 llvm-size-14 || true)}"
readonly SWIFTC CLANG LLD NM OBJDUMP DEMANGLE LLVM_SIZE

demangle() {
  if [[ "$DEMANGLE" == cat ]]; then cat; else "$DEMANGLE" --simplified; fi
}

# Prints text/data/bss of ELF files, Berkeley style.
print_size() {
  if [[ -n "$LLVM_SIZE" ]]; then
    "$LLVM_SIZE" --format=berkeley "$@" | sed 's/^/  /'
    return
  fi
  # Fallback: sum section sizes by llvm-objdump's section type (read-only data counts as data).
  local file type size text data bss
  printf '  %8s %8s %8s %8s %s   (llvm-objdump section types; no llvm-size)\n' \
    text data bss dec filename
  for file in "$@"; do
    text=0 data=0 bss=0
    while read -r size type; do
      case "$type" in
        TEXT) text=$((text + 16#$size)) ;;
        DATA) data=$((data + 16#$size)) ;;
        BSS) bss=$((bss + 16#$size)) ;;
      esac
    done < <("$OBJDUMP" -h "$file" | awk '$NF ~ /^(TEXT|DATA|BSS)$/ { print $(NF - 2), $NF }')
    printf '  %8d %8d %8d %8d %s\n' "$text" "$data" "$bss" $((text + data + bss)) "$file"
  done
}

is_allowed() {
  local symbol="$1" allowed
  for allowed in "${ALLOWED_UNDEFINED[@]}"; do
    [[ "$symbol" == "$allowed" ]] && return 0
  done
  return 1
}

label() {
  if [[ "$1" =~ $HEAP_PATTERN ]]; then
    echo "heap/runtime"
  elif [[ "$1" =~ $OS_PATTERN ]]; then
    echo "OS"
  else
    echo "not on the allow-list"
  fi
}

# Links `objects` from `entry` with --gc-sections into `image`, and prints the
# undefined symbols that stay reachable, one per line, sorted. Cross-checks the
# llvm-nm list against the undefined-symbol errors of a strict link.
reachable_undefined() {
  local entry="$1" image="$2"
  shift 2
  "$LLD" --gc-sections --entry="$entry" --unresolved-symbols=ignore-all -o "$image" "$@"
  "$NM" --defined-only "$image" | awk '{print $NF}' | grep -xF "$entry" >/dev/null \
    || fail "$entry is not defined in $image"
  local from_nm from_lld
  from_nm="$("$NM" -u "$image" | awk '{print $NF}' | LC_ALL=C sort -u)"
  from_lld="$("$LLD" --gc-sections --entry="$entry" --error-limit=0 -o "$image.strict" "$@" 2>&1 \
    | sed -n 's/^.*error: undefined symbol: //p' | LC_ALL=C sort -u || true)"
  rm -f "$image.strict"
  [[ "$from_nm" == "$from_lld" ]] \
    || fail "llvm-nm -u and lld disagree on what $entry leaves undefined:
  llvm-nm: $(tr '\n' ' ' <<<"$from_nm")
  lld:     $(tr '\n' ' ' <<<"$from_lld")"
  [[ -n "$from_nm" ]] && echo "$from_nm"
  return 0
}

# Prints the offending symbols of an image (one line each, with a reason);
# prints nothing when it is clean.
violations() {
  local image="$1" undefined="$2" symbol
  while read -r symbol; do
    [[ -z "$symbol" ]] && continue
    is_allowed "$symbol" || echo "undefined $symbol ($(label "$symbol"))"
  done <<<"$undefined"
  "$NM" --defined-only "$image" | awk '{print $NF}' | LC_ALL=C sort -u \
    | { grep -E "$RUNTIME_DENY_PATTERN" || true; } | demangle \
    | sed 's/.*/defined &  (Swift runtime heap\/refcount entry point)/'
}

# Names the functions that reference an undefined `symbol`, from lld's errors.
referenced_by() {
  local entry="$1" symbol="$2"
  shift 2
  "$LLD" --gc-sections --entry="$entry" --error-limit=0 -o "$OUT/link/referenced-by.elf" "$@" 2>&1 \
    | awk -v s="undefined symbol: $symbol" '
        index($0, s) && length($0) == index($0, s) + length(s) - 1 { on = 1; next }
        /error: undefined symbol:/ { on = 0 }
        on && /^>>> .*:\(/ { sub(/^.*:\(/, ""); sub(/\)$/, ""); print }' \
    | LC_ALL=C sort -u | demangle | sed 's/^/      referenced by: /' || true
  rm -f "$OUT/link/referenced-by.elf"
}

# --- 1. Compile. ---------------------------------------------------------------
mkdir -p "$OUT/modules" "$OUT/obj" "$OUT/link" "$OUT/module-cache"
readonly SWIFT_FLAGS=(
  -target "$TARGET"
  -enable-experimental-feature Embedded
  -wmo -parse-as-library -Osize
  -Xfrontend -disable-stack-protector
  # -Xfrontend -function-sections gives one .text.<symbol> per function;
  # -Xllvm -function-sections is accepted but ignored (the frontend sets the
  # target options), which would leave nothing for --gc-sections to drop.
  -Xfrontend -function-sections
  -module-cache-path "$OUT/module-cache"
)

# Compiles one module into $OUT/obj/<name>.o and its interface into
# $OUT/modules, from the given sources.
compile_module() {
  local name="$1"
  shift
  echo "-- $name: $# files"
  "$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name "$name" -I "$OUT/modules" \
    -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" \
    -c -o "$OUT/obj/$name.o" "$@" \
    || fail "$name does not compile as Embedded Swift for $TARGET"
}

# The embedded-clean targets, in dependency order, with their sources as
# Package.swift gives them (targets, not paths): the HAL contracts, the
# simulated applicator and the core; then the firmware's tick entry points.
readonly EMBEDDED_TARGETS=(ApplicatorHAL ApplicatorSimulation ThermalLoop)
echo "== Compiling for $TARGET (Embedded Swift, -Osize, function sections)"
echo "   $("$SWIFTC" --version 2>&1 | sed -n 1p)"
OBJECTS=()
for target in "${EMBEDDED_TARGETS[@]}"; do
  sources=()
  while IFS= read -r file; do sources+=("$file"); done < <(scripts/target-sources.sh "$target")
  [[ ${#sources[@]} -gt 0 ]] || fail "no sources for target $target"
  compile_module "$target" "${sources[@]}"
  OBJECTS=("$OUT/obj/$target.o" "${OBJECTS[@]}")
done
compile_module Firmware Firmware/*.swift
OBJECTS=("$OUT/obj/Firmware.o" "${OBJECTS[@]}")
readonly OBJECTS

for object in "${OBJECTS[@]}"; do
  sections="$("$OBJDUMP" -h "$object" | awk '$2 ~ /^\.text\./' | wc -l)"
  [[ "$sections" -gt 1 ]] \
    || fail "$object has no per-function sections; --gc-sections would keep everything"
done

echo
echo "== Whole modules (object files: every function, reachable or not)"
print_size "${OBJECTS[@]}"

# --- 2. Control: the method sees what is reachable and only that. --------------
echo
echo "== Control: a C canary (entry calls malloc, an unreachable function calls write)"
cat >"$OUT/obj/canary.c" <<'EOF'
void *malloc(unsigned long size);
long write(int fd, const void *buffer, unsigned long count);
void canary_unreachable(void) { write(1, "x", 1); }
void *canary_entry(void) { return malloc(16); }
EOF
"$CLANG" --target=armv7em-none-eabi -mthumb -ffreestanding -ffunction-sections -Os \
  -c "$OUT/obj/canary.c" -o "$OUT/obj/canary.o" || fail "control: the C canary does not compile"
canary_undefined="$(reachable_undefined canary_entry "$OUT/link/canary.elf" "$OUT/obj/canary.o")"
[[ "$canary_undefined" == malloc ]] \
  || fail "control: expected exactly 'malloc' reachable, got: $(tr '\n' ' ' <<<"$canary_undefined")"
[[ -n "$(violations "$OUT/link/canary.elf" "$canary_undefined")" ]] \
  || fail "control: the check did not flag a reachable malloc"
echo "   reachable undefined: malloc (flagged); write (unreachable) dropped by --gc-sections: ok"

# The modules themselves reference the heap (array building in initialisers,
# the embedded runtime); without --gc-sections that shows up from the tick too.
"$LLD" --entry="${ENTRIES[0]}" --unresolved-symbols=ignore-all \
  -o "$OUT/link/no-gc.elf" "${OBJECTS[@]}" || fail "the modules do not link without --gc-sections"
no_gc_heap="$("$NM" -u "$OUT/link/no-gc.elf" | awk '{print $NF}' \
  | { grep -E "$HEAP_PATTERN" || true; } | LC_ALL=C sort -u)"
if [[ -n "$no_gc_heap" ]]; then
  echo "   modules linked whole (no --gc-sections) leave heap symbols: $(tr '\n' ' ' <<<"$no_gc_heap")"
fi

# --- 3. Each entry point. ---------------------------------------------------------
status=0
for entry in "${ENTRIES[@]}"; do
  image="$OUT/link/$entry.elf"
  echo
  echo "== Closure of $entry (ld.lld --gc-sections --entry=$entry)"
  undefined="$(reachable_undefined "$entry" "$image" "${OBJECTS[@]}")"
  print_size "$image"
  echo "-- largest functions (bytes)"
  "$NM" --defined-only --size-sort --reverse-sort -S "$image" \
    | awk '$3 ~ /^[Tt]$/ && shown++ < 8 { print $2, $4 }' \
    | while read -r bytes symbol; do
      printf '  %6d  %s\n' $((16#$bytes)) "$(echo "$symbol" | demangle)"
    done
  # _swift_exceptionPersonality is a 2-byte trap stub in an SHF_GNU_RETAIN
  # section: lld keeps it in every image, reachable or not.
  echo "-- Swift runtime functions in the image"
  runtime="$("$NM" --defined-only "$image" | awk '{print $NF}' \
    | { grep -E "$RUNTIME_PATTERN" || true; } | LC_ALL=C sort -u | demangle)"
  echo "  $(tr '\n' ' ' <<<"${runtime:-none}")"
  echo "-- reachable undefined symbols ($(grep -c . <<<"$undefined" || true))"
  if [[ -n "$undefined" ]]; then
    while read -r symbol; do
      if is_allowed "$symbol"; then
        printf '  %-22s allowed\n' "$symbol"
      else
        printf '  %-22s FORBIDDEN (%s)\n' "$symbol" "$(label "$symbol")"
        referenced_by "$entry" "$symbol" "${OBJECTS[@]}"
      fi
    done <<<"$undefined"
  else
    echo "  none"
  fi
  found="$(violations "$image" "$undefined")"
  if [[ -n "$found" ]]; then
    echo "embedded-check: FAIL: heap, OS or unlisted symbols reachable from $entry:" >&2
    sed 's/^/  /' <<<"$found" >&2
    status=1
  fi
done

echo
if [[ "$status" -ne 0 ]]; then
  echo "embedded-check: FAIL (a symbol that is not free-standing is reachable; if it is a" >&2
  echo "  free-standing helper, add it to ALLOWED_UNDEFINED in $0 with a reason)" >&2
  exit 1
fi
echo "embedded-check: OK: ${ENTRIES[*]} reach no heap, OS or unlisted symbol"
