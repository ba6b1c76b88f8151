// The board functions (Firmware/Board, C) as the Swift side names them.

@_extern(c, "board_uart_write_byte")
func boardUARTWriteByte(_ byte: UInt8)

@_extern(c, "board_uart_write_string")
func boardUARTWriteString(_ text: UnsafePointer<CChar>)

@_extern(c, "board_uart_lanes")
func boardUARTLanes() -> UInt32

@_extern(c, "board_uart_read_byte")
func boardUARTReadByte(_ lane: UInt32, _ byte: UnsafeMutablePointer<UInt8>) -> Int32

@_extern(c, "board_uart_discard")
func boardUARTDiscard()

@_extern(c, "board_uart_wait")
func boardUARTWait(_ lane: UInt32, _ wrapDeadline: UInt32) -> Int32

@_extern(c, "board_clock_wraps")
func boardClockWraps() -> UInt32

@_extern(c, "board_clock_counts")
func boardClockCounts() -> UInt64

@_extern(c, "board_stack_high_water_bytes")
func boardStackHighWaterBytes() -> UInt32

@_extern(c, "board_arena_seal")
func boardArenaSeal()
