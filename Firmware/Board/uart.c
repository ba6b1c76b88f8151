// The CMSDK APB UARTs of mps2-an386. UART0 (base 0x40004000, receive
// interrupt IRQ 0) carries everything the image writes; receiving, the
// host's frames arrive spread over the link's lanes, UART0 to UART4 (IRQs
// 0, 2, 4, 18, 20), byte k of a frame on lane k mod BOARD_UART_LANES.
// QEMU's socket backend hands a UART one byte per trip through its main
// loop (the UART holds one received byte), and serves every UART in the
// same trip: five lanes move up to five bytes a trip.
//
// Each UART holds one received byte; its interrupt moves it into the
// lane's ring, which the main loop drains, sleeping (WFI) while the ring
// it waits on is empty. QEMU holds the host's bytes until the UART's
// buffer is empty, so a byte is lost only if a ring itself overflows
// (counted).
#include "board.h"

#define UART_DATA(base) (*(volatile uint32_t *)((base) + 0x00u))
#define UART_STATE(base) (*(volatile uint32_t *)((base) + 0x04u))
#define UART_CTRL(base) (*(volatile uint32_t *)((base) + 0x08u))
#define UART_INTSTATUS(base) (*(volatile uint32_t *)((base) + 0x0Cu))
#define UART_BAUDDIV(base) (*(volatile uint32_t *)((base) + 0x10u))
#define STATE_TX_FULL 1u
#define STATE_RX_FULL 2u
#define CTRL_TX_ENABLE 1u
#define CTRL_RX_ENABLE 2u
#define CTRL_RX_INTERRUPT 8u
#define INT_RX 2u
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define UART0_BASE 0x40004000u

static const uint32_t lane_base[BOARD_UART_LANES] = {0x40004000u, 0x40005000u, 0x40006000u,
                                                     0x40007000u, 0x40009000u};
static const uint32_t lane_irq[BOARD_UART_LANES] = {0u, 2u, 4u, 18u, 20u};

/// Ring size per lane: a power of two above a frame's share of any lane.
#define RING_SIZE 256u

static volatile uint8_t rings[BOARD_UART_LANES][RING_SIZE];
static volatile uint32_t ring_head[BOARD_UART_LANES];  // written by the interrupt
static volatile uint32_t ring_tail[BOARD_UART_LANES];  // written by the main loop
static volatile uint32_t overruns;

void board_uart_init(void) {
  for (uint32_t lane = 0; lane < BOARD_UART_LANES; ++lane) {
    uint32_t base = lane_base[lane];
    UART_BAUDDIV(base) = 16u;  // the smallest divider the CMSDK UART accepts
    UART_CTRL(base) = (lane == 0 ? CTRL_TX_ENABLE : 0u) | CTRL_RX_ENABLE | CTRL_RX_INTERRUPT;
    NVIC_ISER0 = 1u << lane_irq[lane];
  }
}

/// Moves lane `lane`'s received byte into its ring.
static void receive(uint32_t lane) {
  uint32_t base = lane_base[lane];
  UART_INTSTATUS(base) = INT_RX;  // write one to clear
  while (UART_STATE(base) & STATE_RX_FULL) {
    uint8_t byte = (uint8_t)UART_DATA(base);
    uint32_t head = ring_head[lane];
    if (head - ring_tail[lane] < RING_SIZE) {
      rings[lane][head % RING_SIZE] = byte;
      ring_head[lane] = head + 1u;
    } else {
      overruns = overruns + 1u;
    }
  }
}

void board_uart_receive_interrupt(void) { receive(0); }
void board_uart1_receive_interrupt(void) { receive(1); }
void board_uart2_receive_interrupt(void) { receive(2); }
void board_uart3_receive_interrupt(void) { receive(3); }
void board_uart4_receive_interrupt(void) { receive(4); }

void board_uart_write_byte(uint8_t byte) {
  while (UART_STATE(UART0_BASE) & STATE_TX_FULL) {
  }
  UART_DATA(UART0_BASE) = byte;
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

int board_uart_read_byte(uint32_t lane, uint8_t *byte) {
  if (lane >= BOARD_UART_LANES) {
    return 0;
  }
  uint32_t tail = ring_tail[lane];
  if (tail == ring_head[lane]) {
    return 0;
  }
  *byte = rings[lane][tail % RING_SIZE];
  ring_tail[lane] = tail + 1u;
  return 1;
}

void board_uart_discard(void) {
  for (uint32_t lane = 0; lane < BOARD_UART_LANES; ++lane) {
    __asm volatile("cpsid i" ::: "memory");
    ring_tail[lane] = ring_head[lane];
    __asm volatile("cpsie i" ::: "memory");
  }
}

int board_uart_wait(uint32_t lane, uint32_t wrap_deadline) {
  if (lane >= BOARD_UART_LANES) {
    return 0;
  }
  // Interrupts off between the check and the WFI, so a byte arriving in
  // between still wakes the core (WFI wakes on a pending interrupt even
  // with PRIMASK set); the handler runs once they are back on.
  for (;;) {
    __asm volatile("cpsid i" ::: "memory");
    if (ring_tail[lane] != ring_head[lane]) {
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

uint32_t board_uart_lanes(void) { return BOARD_UART_LANES; }

uint32_t board_uart_overruns(void) { return overruns; }
