// The image has no heap. The control loop is assembled once at boot, and
// building its configuration (the profile's phase and sensor lists) takes a
// few short-lived allocations; they come from this fixed arena, which is
// sealed before the first tick. Any allocation after that (a tick must
// never allocate) reports over UART0 and ends QEMU with status 4. Memory is
// never reused: `free` does nothing.
#include <stddef.h>
#include <stdint.h>

#include "board.h"

#define ARENA_BYTES 16384u
#define ALLOCATION_AFTER_SEAL_EXIT_STATUS 4u

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static uint32_t arena_used;
static int arena_sealed;

static void *arena_take(size_t alignment, size_t size) {
  if (arena_sealed) {
    board_uart_write_string("\nFAULT allocation after the arena was sealed\n");
    board_exit(ALLOCATION_AFTER_SEAL_EXIT_STATUS);
  }
  if (alignment < 8u) {
    alignment = 8u;
  }
  uint32_t start = (arena_used + (uint32_t)alignment - 1u) & ~((uint32_t)alignment - 1u);
  if (start > ARENA_BYTES || size > ARENA_BYTES - start) {
    board_uart_write_string("\nFAULT boot arena exhausted\n");
    board_exit(ALLOCATION_AFTER_SEAL_EXIT_STATUS);
  }
  arena_used = start + (uint32_t)size;
  return &arena[start];
}

int posix_memalign(void **result, size_t alignment, size_t size) {
  *result = arena_take(alignment, size);
  return 0;
}

void *malloc(size_t size) { return arena_take(8u, size); }

void free(void *pointer) { (void)pointer; }

void board_arena_seal(void) { arena_sealed = 1; }

uint32_t board_arena_used_bytes(void) { return arena_used; }
