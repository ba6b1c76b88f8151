// Semihosting exit: ends QEMU with a given status (ARM semihosting
// SYS_EXIT_EXTENDED, operation 0x20, with ADP_Stopped_ApplicationExit and
// the status). QEMU honours it with `-semihosting-config enable=on,target=native`.
#include "board.h"

__attribute__((noreturn)) void board_exit(uint32_t code) {
  static uint32_t block[2];
  block[0] = 0x20026u;  // ADP_Stopped_ApplicationExit
  block[1] = code;
  register uint32_t operation __asm("r0") = 0x20u;
  register uint32_t *argument __asm("r1") = block;
  for (;;) {
    __asm volatile("bkpt 0xab" : "+r"(operation) : "r"(argument) : "memory");
  }
}
