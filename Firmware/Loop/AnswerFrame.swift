/// The firmware's answer to one tick frame (see ``LinkProtocol``).
struct AnswerFrame {
  var linkStatus: UInt8 = 0
  var state: UInt8 = 0
  var sequence: UInt32 = 0
  var timeNanoseconds: UInt64 = 0
  /// `SafetyCheck` raw value + 1; 0 when nothing tripped.
  var trip: UInt8 = 0
  var enabled = false
  var sentCommand = 0.0
  var controllerCommand = 0.0
  var tickCostCounts: UInt32 = 0
  var stackHighWaterBytes: UInt32 = 0

  /// Writes the frame to UART0.
  func send() {
    var crc = CRC32()
    boardUARTWriteByte(LinkProtocol.magic)
    boardUARTWriteByte(LinkProtocol.answerMagic)
    Self.put(UInt64(linkStatus), bytes: 1, &crc)
    Self.put(UInt64(state), bytes: 1, &crc)
    Self.put(UInt64(sequence), bytes: 4, &crc)
    Self.put(timeNanoseconds, bytes: 8, &crc)
    Self.put(UInt64(trip), bytes: 1, &crc)
    Self.put(enabled ? 1 : 0, bytes: 1, &crc)
    Self.put(sentCommand.bitPattern, bytes: 8, &crc)
    Self.put(controllerCommand.bitPattern, bytes: 8, &crc)
    Self.put(UInt64(tickCostCounts), bytes: 4, &crc)
    Self.put(UInt64(stackHighWaterBytes), bytes: 4, &crc)
    let value = crc.value
    for index in 0..<4 { boardUARTWriteByte(UInt8(truncatingIfNeeded: value >> UInt32(8 * index))) }
  }

  /// Writes the low `bytes` bytes of `value`, little-endian, into the CRC too.
  private static func put(_ value: UInt64, bytes: Int, _ crc: inout CRC32) {
    for index in 0..<bytes {
      let byte = UInt8(truncatingIfNeeded: value >> UInt64(8 * index))
      crc.update(byte)
      boardUARTWriteByte(byte)
    }
  }
}
