// SysTick time base: the 24-bit down-counter at the core clock (25 MHz on
// mps2-an386, 40 ns a count), reloaded with 2^24 - 1, each wrap counted by
// its interrupt. Under `-icount shift=0` one instruction is 1 ns of guest
// time, so a count is 40 instructions.
#include "board.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define RELOAD 0x00FFFFFFu

static volatile uint32_t wraps;

void board_clock_init(void) {
  SYST_RVR = RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 7u;  // enable, interrupt, processor clock
}

void board_clock_interrupt(void) { wraps = wraps + 1; }

uint32_t board_clock_wraps(void) { return wraps; }

uint64_t board_clock_counts(void) {
  uint32_t before, value, after;
  do {
    before = wraps;
    value = SYST_CVR;
    after = wraps;
    // A wrap pending but not yet taken (COUNTFLAG would be read-to-clear):
    // re-read until the interrupt count is stable around the value.
  } while (before != after);
  return (uint64_t)before * (RELOAD + 1u) + (RELOAD - value);
}
