/// The lockstep link between the host (the simulated plant) and the
/// firmware, over the board's UARTs. All numbers little-endian; a `Double`
/// travels as its IEEE 754 bit pattern, so nothing is rounded on the way.
///
/// A tick frame travels spread over five lanes, UART0 to UART4: byte k on
/// lane k mod 5 (`board_uart_lanes`). QEMU's socket backend hands a UART one
/// byte per trip through its main loop but serves every UART in the same
/// trip, so the lanes move up to five bytes a trip where one UART moved
/// one. The answer comes back on UART0 alone (a transmitted byte costs no
/// trip).
///
/// Host to firmware, one **tick frame** per control tick (31 + 10·n bytes for
/// n sensors):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | magic `D5 54` |
/// | 2 | 1 | kind: 1 tick, 2 end of run |
/// | 3 | 1 | sensor count n (must equal the image's) |
/// | 4 | 4 | sequence number (0, 1, 2, ...) |
/// | 8 | 8 | tick time, ns since the run start |
/// | 16 | 10·n | per sensor: status (0 no data, 1 sample), is-new (0/1), °C |
/// | 16+10n | 3 | contact made, coolant flowing, read-back present (0/1) |
/// | 19+10n | 8 | read-back error (read-back minus the command the stage holds) |
/// | 27+10n | 4 | CRC-32 of bytes 2 ..< 27+10n |
///
/// Firmware to host, one **answer frame** per tick frame (46 bytes), and one
/// unasked when the host has gone quiet:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | magic `D5 41` |
/// | 2 | 1 | link status (``LinkFault``; 0 while the link is sound) |
/// | 3 | 1 | loop state (`LoopState` raw value) |
/// | 4 | 4 | sequence number of the frame answered (the last good one for a fault) |
/// | 8 | 8 | tick time, ns |
/// | 16 | 1 | tripped check (`SafetyCheck` raw value + 1; 0 none) |
/// | 17 | 1 | power stage enabled (0/1) |
/// | 18 | 8 | command the power stage holds |
/// | 26 | 8 | controller command |
/// | 34 | 4 | the tick's cost in SysTick counts (40 ns = 40 instructions under `-icount shift=0`) |
/// | 38 | 4 | stack high-water mark, bytes |
/// | 42 | 4 | CRC-32 of bytes 2 ..< 42 |
enum LinkProtocol {
  /// The first byte of every frame.
  static let magic: UInt8 = 0xD5
  /// The second byte of a tick frame.
  static let tickMagic: UInt8 = 0x54
  /// The second byte of an answer frame.
  static let answerMagic: UInt8 = 0x41
  /// Tick frame kinds.
  static let kindTick: UInt8 = 1
  static let kindEnd: UInt8 = 2
  /// Bytes of a tick frame carrying `sensorCount` sensors.
  static func tickFrameBytes(sensorCount: Int) -> Int { 31 + 10 * sensorCount }
  /// Bytes of an answer frame.
  static let answerFrameBytes = 46
  /// The "host gone" bound: this many SysTick wraps (2^24 counts, 0.67 s at
  /// 25 MHz) without a whole frame, so between 3 and 4 wraps: 2.0 to 2.7 s.
  static let hostGoneWraps: UInt32 = 4
}

/// Why the link was declared unsound; the firmware is then in its safe
/// state (command 0, enable open) for good.
enum LinkFault: UInt8 {
  /// A frame's CRC did not match (or its header was impossible).
  case corruptFrame = 1
  /// A sequence number was skipped: a frame was lost.
  case droppedFrame = 2
  /// No whole frame for ``LinkProtocol/hostGoneWraps`` SysTick wraps.
  case hostGone = 3
  /// A frame for a different sensor count, kind or protocol.
  case badFrame = 4
}
