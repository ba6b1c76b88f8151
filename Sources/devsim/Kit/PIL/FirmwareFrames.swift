import ApplicatorHAL
import ThermalLoop

/// The host's side of the lockstep link's frames (the firmware's side and
/// the byte layout: Firmware/Loop/LinkProtocol.swift). Numbers are
/// little-endian; a `Double` travels as its IEEE 754 bit pattern.
package enum FirmwareFrames {
  /// Tick frame kinds.
  static let kindTick: UInt8 = 1
  static let kindEnd: UInt8 = 2
  /// Bytes of an answer frame.
  static let answerBytes = 46

  /// One tick frame: what the loop read this tick (readings with their
  /// status, interlocks, the read-back error), with its CRC-32.
  ///
  /// - Parameter readBackError: the read-back minus the output the plant's
  ///   stage holds; `nil` when the stage gave no read-back.
  static func tick(
    kind: UInt8, sequence: UInt32, timeNanoseconds: UInt64, snapshot: SensorSnapshot,
    interlocks: Interlocks, readBackError: Double?
  ) -> [UInt8] {
    var body: [UInt8] = [kind, UInt8(truncatingIfNeeded: snapshot.count)]
    body.reserveCapacity(31 + 10 * snapshot.count)
    append(UInt64(sequence), bytes: 4, to: &body)
    append(timeNanoseconds, bytes: 8, to: &body)
    for index in 0..<snapshot.count {
      if let sample = snapshot.readings[index].sample {
        body += [1, sample.isNew ? 1 : 0]
        append(sample.celsius.bitPattern, bytes: 8, to: &body)
      } else {
        body += [0, 0]
        append(0, bytes: 8, to: &body)
      }
    }
    body += [
      interlocks.contactMade ? 1 : 0, interlocks.coolantFlowing ? 1 : 0,
      readBackError == nil ? 0 : 1,
    ]
    append((readBackError ?? 0).bitPattern, bytes: 8, to: &body)
    var frame: [UInt8] = [0xD5, 0x54] + body
    append(UInt64(CRC32.checksum(body)), bytes: 4, to: &frame)
    return frame
  }

  /// Decodes an answer frame of ``answerBytes`` bytes; `nil` when its magic
  /// or CRC is wrong (an answer that cannot be trusted).
  static func answer(_ bytes: [UInt8]) -> FirmwareAnswer? {
    guard bytes.count == answerBytes, bytes[0] == 0xD5, bytes[1] == 0x41,
      CRC32.checksum(bytes[2..<42]) == UInt32(truncatingIfNeeded: word(bytes, 42, 4))
    else { return nil }
    return FirmwareAnswer(
      linkStatus: bytes[2], state: bytes[3],
      sequence: UInt32(truncatingIfNeeded: word(bytes, 4, 4)),
      timeNanoseconds: word(bytes, 8, 8), trip: bytes[16], enabled: bytes[17] != 0,
      sentCommand: Double(bitPattern: word(bytes, 18, 8)),
      controllerCommand: Double(bitPattern: word(bytes, 26, 8)),
      tickCostCounts: UInt32(truncatingIfNeeded: word(bytes, 34, 4)),
      stackHighWaterBytes: UInt32(truncatingIfNeeded: word(bytes, 38, 4)))
  }

  private static func append(_ value: UInt64, bytes: Int, to frame: inout [UInt8]) {
    for index in 0..<bytes { frame.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * index))) }
  }

  private static func word(_ bytes: [UInt8], _ offset: Int, _ size: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in 0..<size { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
    return value
  }
}

/// The firmware's answer to one tick frame.
package struct FirmwareAnswer: Equatable {
  /// 0 while the link is sound; else the firmware's link fault (1 corrupt
  /// frame, 2 dropped frame, 3 host gone, 4 bad frame).
  package var linkStatus: UInt8
  /// `LoopState` raw value.
  package var state: UInt8
  package var sequence: UInt32
  package var timeNanoseconds: UInt64
  /// `SafetyCheck` raw value + 1; 0 when nothing tripped.
  package var trip: UInt8
  package var enabled: Bool
  /// The command the firmware's power stage holds after the tick.
  package var sentCommand: Double
  package var controllerCommand: Double
  /// The tick's cost in SysTick counts (40 instructions each under `-icount shift=0`).
  package var tickCostCounts: UInt32
  package var stackHighWaterBytes: UInt32

  /// The loop state, if the raw value names one.
  package var loopState: LoopState? { LoopState(rawValue: state) }
  /// The tripped check (`nil`: none, or a value no check has).
  package var trippedCheck: SafetyCheck? { trip == 0 ? nil : SafetyCheck(rawValue: trip &- 1) }
}

/// CRC-32 (IEEE 802.3, reflected; zlib's), as the firmware computes it.
enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = (value >> 1) ^ (0xEDB8_8320 & (0 &- (value & 1))) }
    return value
  }

  static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
    var remainder: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      remainder = (remainder >> 8) ^ table[Int((remainder ^ UInt32(byte)) & 0xFF)]
    }
    return remainder ^ 0xFFFF_FFFF
  }
}
