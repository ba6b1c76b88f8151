// The smallest image: proves the chain (startup, vector table, linker
// script, UART0, libgcc's soft-float helpers, semihosting exit) before the
// control core is added. It prints a greeting, a soft-float product and the
// stack high-water mark, then ends QEMU with status 0; with the argument
// byte `f` on UART0 it traps on purpose, to show the fault handler.

@_extern(c, "board_uart_write_string")
func boardUARTWriteString(_ text: UnsafePointer<CChar>)

@_extern(c, "board_uart_write_byte")
func boardUARTWriteByte(_ byte: UInt8)

@_extern(c, "board_uart_wait")
func boardUARTWait(_ lane: UInt32, _ wrapDeadline: UInt32) -> Int32

@_extern(c, "board_uart_read_byte")
func boardUARTReadByte(_ lane: UInt32, _ byte: UnsafeMutablePointer<UInt8>) -> Int32

@_extern(c, "board_clock_wraps")
func boardClockWraps() -> UInt32

@_extern(c, "board_stack_high_water_bytes")
func boardStackHighWaterBytes() -> UInt32

/// Writes `value` in decimal.
func writeDecimal(_ value: UInt64) {
  var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  )
  var remaining = value
  var count = 0
  withUnsafeMutableBytes(of: &digits) { buffer in
    repeat {
      buffer[count] = UInt8(remaining % 10) + 48
      remaining /= 10
      count += 1
    } while remaining > 0 && count < buffer.count
    while count > 0 {
      count -= 1
      boardUARTWriteByte(buffer[count])
    }
  }
}

/// The image's entry point: returns QEMU's exit status.
@_cdecl("firmware_main")
public func firmwareMain() -> UInt32 {
  boardUARTWriteString("hello from Embedded Swift on mps2-an386\n")
  // A soft-float product through libgcc: 1.5 x 2.25 = 3.375, printed x 1000.
  let product = Double(Int(boardClockWraps()) + 3) * 0.5 * 2.25
  boardUARTWriteString("1.5 x 2.25 x 1000 = ")
  writeDecimal(UInt64(product * 1000))
  boardUARTWriteString("\n")
  // One byte from the host, or the end of a 1-wrap (0.67 s) wait.
  var byte: UInt8 = 0
  if boardUARTWait(0, boardClockWraps() &+ 2) != 0, boardUARTReadByte(0, &byte) != 0, byte == 102 {
    boardUARTWriteString("faulting on purpose\n")
    // A Swift trap (division by zero) is an undefined instruction: a UsageFault.
    let zero = Int(byte) - 102
    writeDecimal(UInt64(100 / zero))
  }
  boardUARTWriteString("stack high-water mark ")
  writeDecimal(UInt64(boardStackHighWaterBytes()))
  boardUARTWriteString(" bytes\n")
  return 0
}
