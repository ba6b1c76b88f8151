// CMSDK APB UART0 of mps2-an386 (base 0x40004000, receive interrupt IRQ 0).
// The UART holds one received byte; its interrupt moves each byte into a
// ring that the main loop drains, sleeping (WFI) while the ring is empty.
// QEMU holds the host's bytes until the UART's buffer is empty, so a byte is
// lost only if the ring itself overflows (counted).
#include "board.h"

#define UART_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART_BASE + 0x08u))
#define UART_INTSTATUS (*(volatile uint32_t *)(UART_BASE + 0x0Cu))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART_BASE + 0x10u))
#define STATE_TX_FULL 1u
#define STATE_RX_FULL 2u
#define CTRL_TX_ENABLE 1u
#define CTRL_RX_ENABLE 2u
#define CTRL_RX_INTERRUPT 8u
#define INT_RX 2u
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define UART0_RX_IRQ 0u

/// Ring size: a power of two above the largest frame the host sends.
#define RING_SIZE 1024u

static volatile uint8_t ring[RING_SIZE];
static volatile uint32_t ring_head;  // written by the interrupt
static volatile uint32_t ring_tail;  // written by the main loop
static volatile uint32_t overruns;

void board_uart_init(void) {
  UART_BAUDDIV = 16u;  // the smallest divider the CMSDK UART accepts
  UART_CTRL = CTRL_TX_ENABLE | CTRL_RX_ENABLE | CTRL_RX_INTERRUPT;
  NVIC_ISER0 = 1u << UART0_RX_IRQ;
}

void board_uart_receive_interrupt(void) {
  UART_INTSTATUS = INT_RX;  // write one to clear
  while (UART_STATE & STATE_RX_FULL) {
    uint8_t byte = (uint8_t)UART_DATA;
    uint32_t head = ring_head;
    if (head - ring_tail < RING_SIZE) {
      ring[head % RING_SIZE] = byte;
      ring_head = head + 1u;
    } else {
      overruns = overruns + 1u;
    }
  }
}

void board_uart_write_byte(uint8_t byte) {
  while (UART_STATE & STATE_TX_FULL) {
  }
  UART_DATA = byte;
}

void board_uart_write(const uint8_t *bytes, uint32_t count) {
  for (uint32_t index = 0; index < count; ++index) {
    board_uart_write_byte(bytes[index]);
  }
}

void board_uart_write_string(const char *text) {
  while (*text) {
    board_uart_write_byte((uint8_t)*text++);
  }
}

int board_uart_read_byte(uint8_t *byte) {
  uint32_t tail = ring_tail;
  if (tail == ring_head) {
    return 0;
  }
  *byte = ring[tail % RING_SIZE];
  ring_tail = tail + 1u;
  return 1;
}

int board_uart_wait(uint32_t wrap_deadline) {
  // Interrupts off between the check and the WFI, so a byte arriving in
  // between still wakes the core (WFI wakes on a pending interrupt even
  // with PRIMASK set); the handler runs once they are back on.
  for (;;) {
    __asm volatile("cpsid i" ::: "memory");
    if (ring_tail != ring_head) {
      __asm volatile("cpsie i" ::: "memory");
      return 1;
    }
    if ((int32_t)(board_clock_wraps() - wrap_deadline) >= 0) {
      __asm volatile("cpsie i" ::: "memory");
      return 0;
    }
    __asm volatile("wfi" ::: "memory");
    __asm volatile("cpsie i" ::: "memory");
  }
}

uint32_t board_uart_overruns(void) { return overruns; }
