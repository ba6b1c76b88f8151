// Reset, vector table and fault handlers of the firmware image (mps2-an386,
// Cortex-M4). The reset handler copies .data, zeroes .bss, paints the stack
// and calls `firmware_main` (the image's Swift entry point). A fault prints
// what the core recorded over UART0 and ends QEMU with a non-zero status.
#include "board.h"

extern uint32_t board_data_start[], board_data_end[], board_data_load[];
extern uint32_t board_bss_start[], board_bss_end[];
extern uint32_t board_stack_bottom[], board_stack_top[];

/// The image's entry point (Swift, `@_cdecl("firmware_main")`); returns the
/// exit status QEMU ends with.
uint32_t firmware_main(void);

void board_uart_receive_interrupt(void);
void board_uart1_receive_interrupt(void);
void board_uart2_receive_interrupt(void);
void board_uart3_receive_interrupt(void);
void board_uart4_receive_interrupt(void);
void board_clock_interrupt(void);

/// The pattern the stack is painted with at reset.
#define STACK_PAINT 0xDEADBEEFu

/// The exit status of a fault (distinct from the image's own failures).
#define FAULT_EXIT_STATUS 3u

static void write_hex(uint32_t value) {
  static const char digits[] = "0123456789abcdef";
  board_uart_write_string("0x");
  for (int shift = 28; shift >= 0; shift -= 4) {
    board_uart_write_byte((uint8_t)digits[(value >> shift) & 15u]);
  }
}

/// Reports a fault over UART0 with the stacked pc and lr and the fault status
/// registers, then ends QEMU with FAULT_EXIT_STATUS. `frame` is the exception
/// frame the core pushed (r0-r3, r12, lr, pc, xpsr).
void board_fault_report(const uint32_t *frame, uint32_t exception) {
  volatile uint32_t *const cfsr = (volatile uint32_t *)0xE000ED28u;
  volatile uint32_t *const hfsr = (volatile uint32_t *)0xE000ED2Cu;
  volatile uint32_t *const mmfar = (volatile uint32_t *)0xE000ED34u;
  volatile uint32_t *const bfar = (volatile uint32_t *)0xE000ED38u;
  board_uart_write_string("\nFAULT exception ");
  write_hex(exception);
  board_uart_write_string(" pc ");
  write_hex(frame[6]);
  board_uart_write_string(" lr ");
  write_hex(frame[5]);
  board_uart_write_string(" cfsr ");
  write_hex(*cfsr);
  board_uart_write_string(" hfsr ");
  write_hex(*hfsr);
  board_uart_write_string(" mmfar ");
  write_hex(*mmfar);
  board_uart_write_string(" bfar ");
  write_hex(*bfar);
  board_uart_write_string("\n");
  board_exit(FAULT_EXIT_STATUS);
}

/// Every fault and unexpected interrupt: picks the stack the frame is on
/// (MSP or PSP, from EXC_RETURN bit 2) and reports it.
__attribute__((naked)) void board_fault(void) {
  __asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "mrs r1, ipsr\n"
      "b board_fault_report\n");
}

/// Swift's traps (a failed precondition in the image) end here through
/// `llvm.trap` (udf), which is a UsageFault: board_fault reports it.

__attribute__((noreturn)) void board_reset(void) {
  uint32_t *source = board_data_load;
  for (uint32_t *word = board_data_start; word < board_data_end; ++word) {
    *word = *source++;
  }
  for (uint32_t *word = board_bss_start; word < board_bss_end; ++word) {
    *word = 0;
  }
  // Paint the stack below the current frame (a few words of margin).
  uint32_t *here = (uint32_t *)__builtin_frame_address(0) - 16;
  for (uint32_t *word = board_stack_bottom; word < here; ++word) {
    *word = STACK_PAINT;
  }
  // Enable the usage, bus and memory-management faults so each reports as
  // itself, and trap division by zero (SCB->SHCSR, SCB->CCR).
  *(volatile uint32_t *)0xE000ED24u |= (1u << 16) | (1u << 17) | (1u << 18);
  *(volatile uint32_t *)0xE000ED14u |= (1u << 4);
  board_uart_init();
  board_clock_init();
  board_exit(firmware_main());
}

uint32_t board_stack_high_water_bytes(void) {
  uint32_t *word = board_stack_bottom;
  while (word < board_stack_top && *word == STACK_PAINT) {
    ++word;
  }
  return (uint32_t)((uint8_t *)board_stack_top - (uint8_t *)word);
}

uint32_t board_stack_size_bytes(void) {
  return (uint32_t)((uint8_t *)board_stack_top - (uint8_t *)board_stack_bottom);
}

typedef void (*vector_t)(void);

/// The vector table: initial stack pointer, reset, the Cortex-M4 system
/// exceptions, then the 32 MPS2 interrupt lines of which the receive
/// interrupts of UART0 to UART4 (IRQs 0, 2, 4, 18, 20: the link's lanes)
/// are the only ones used.
__attribute__((section(".vectors"), used)) const vector_t board_vectors[16 + 32] = {
    (vector_t)board_stack_top,
    board_reset,
    board_fault,  // NMI
    board_fault,  // HardFault
    board_fault,  // MemManage
    board_fault,  // BusFault
    board_fault,  // UsageFault
    0, 0, 0, 0,
    board_fault,  // SVCall
    board_fault,  // DebugMonitor
    0,
    board_fault,  // PendSV
    board_clock_interrupt,  // SysTick
    [16 + 0] = board_uart_receive_interrupt,
    [16 + 1] = board_fault, [16 + 2] = board_uart1_receive_interrupt, [16 + 3] = board_fault,
    [16 + 4] = board_uart2_receive_interrupt, [16 + 5] = board_fault, [16 + 6] = board_fault,
    [16 + 7] = board_fault, [16 + 8] = board_fault, [16 + 9] = board_fault,
    [16 + 10] = board_fault, [16 + 11] = board_fault, [16 + 12] = board_fault,
    [16 + 13] = board_fault, [16 + 14] = board_fault, [16 + 15] = board_fault,
    [16 + 16] = board_fault, [16 + 17] = board_fault, [16 + 18] = board_uart3_receive_interrupt,
    [16 + 19] = board_fault, [16 + 20] = board_uart4_receive_interrupt, [16 + 21] = board_fault,
    [16 + 22] = board_fault, [16 + 23] = board_fault, [16 + 24] = board_fault,
    [16 + 25] = board_fault, [16 + 26] = board_fault, [16 + 27] = board_fault,
    [16 + 28] = board_fault, [16 + 29] = board_fault, [16 + 30] = board_fault,
    [16 + 31] = board_fault,
};
