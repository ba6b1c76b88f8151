// The board support for the firmware image on QEMU's mps2-an386 (ARM MPS2
// with the AN386 FPGA image: a Cortex-M4 at 25 MHz, CMSDK APB UART0 at
// 0x40004000 with its receive interrupt on IRQ 0). Everything the Swift side
// needs from the hardware goes through these functions; the Swift code names
// them with `@_extern(c, ...)`.
#ifndef FIRMWARE_BOARD_H
#define FIRMWARE_BOARD_H

#include <stdint.h>

// UARTs (uart.c). UART0 carries everything the image writes; the host's
// frames arrive spread over BOARD_UART_LANES lanes (UART0 to UART4), byte k
// of a frame on lane k mod BOARD_UART_LANES.

/// Receiving lanes (UART0 to UART4).
#define BOARD_UART_LANES 5u

/// Enables the UARTs (UART0's transmitter; every lane's receiver and its
/// receive interrupt) and their NVIC lines.
void board_uart_init(void);
/// Writes one byte to UART0, waiting while its one-byte transmit buffer is full.
void board_uart_write_byte(uint8_t byte);
/// Writes `count` bytes to UART0.
void board_uart_write(const uint8_t *bytes, uint32_t count);
/// Writes a NUL-terminated string to UART0.
void board_uart_write_string(const char *text);
/// The number of receiving lanes (BOARD_UART_LANES).
uint32_t board_uart_lanes(void);
/// Takes lane `lane`'s oldest received byte into `*byte`; returns 1, or 0
/// when none has arrived (or no such lane). Never waits.
int board_uart_read_byte(uint32_t lane, uint8_t *byte);
/// Drops every byte received and not yet taken, on every lane.
void board_uart_discard(void);
/// Sleeps (WFI) until lane `lane` holds a received byte or the SysTick wrap
/// count reaches `wrap_deadline`; returns 1 if a byte is waiting, 0 on the
/// deadline (or no such lane).
int board_uart_wait(uint32_t lane, uint32_t wrap_deadline);
/// Bytes lost because a receive ring was full (0 in a correct lockstep run).
uint32_t board_uart_overruns(void);

// SysTick time base (clock.c): the 24-bit down-counter at the 25 MHz core
// clock, wrapping every 2^24 counts (0.67 s), each wrap counted.

/// Starts SysTick: reload 2^24 - 1, core clock, wrap interrupt on.
void board_clock_init(void);
/// SysTick counts (40 ns each at 25 MHz) since board_clock_init.
uint64_t board_clock_counts(void);
/// SysTick wraps since board_clock_init.
uint32_t board_clock_wraps(void);

// Semihosting (semihosting.c): ends QEMU with `code` as its exit status
// (SYS_EXIT_EXTENDED; needs `-semihosting-config enable=on,target=native`).
__attribute__((noreturn)) void board_exit(uint32_t code);

// Stack (startup.c): the lowest address of the stack region (it grows down
// from `board_stack_top`) and the painted-stack high-water mark.

/// Bytes of stack ever used: the stack is painted with a pattern at reset,
/// and this finds the deepest word that no longer holds it.
uint32_t board_stack_high_water_bytes(void);
/// The stack region's size in bytes.
uint32_t board_stack_size_bytes(void);

// Boot arena (arena.c): the only allocations, made while the loop is
// assembled; sealed before the first tick.

/// From now on any allocation ends the image (status 4).
void board_arena_seal(void);
/// Bytes the boot allocations took.
uint32_t board_arena_used_bytes(void);

#endif
