import ApplicatorHAL
import Testing

@testable import DevsimKit

/// The host's side of the firmware link's frames
/// (Firmware/Loop/LinkProtocol.swift): the layout and CRC the image checks,
/// and answers that cannot be trusted refused.
@Suite struct FirmwareFramesTests {
  @Test func theCRCIsZlibs() {
    // The CRC-32/ISO-HDLC check value of "123456789".
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
  }

  @Test func aTickFrameHasTheProtocolsLayout() {
    var snapshot = SensorSnapshot(count: 2)
    snapshot.readings[0] = .sample(
      TemperatureSample(celsius: -12.5, timestampNanoseconds: 100, isNew: true))
    snapshot.readings[1] = .fault(.noData)
    let frame = FirmwareFrames.tick(
      kind: FirmwareFrames.kindTick, sequence: 0x0102_0304, timeNanoseconds: 100_000_000,
      snapshot: snapshot, interlocks: Interlocks(contactMade: true, coolantFlowing: false),
      readBackError: 0.25)
    #expect(frame.count == 31 + 10 * 2)
    #expect(Array(frame[0..<4]) == [0xD5, 0x54, 1, 2])
    #expect(Array(frame[4..<8]) == [0x04, 0x03, 0x02, 0x01])
    #expect(Array(frame[8..<16]) == [0x00, 0xE1, 0xF5, 0x05, 0, 0, 0, 0])  // 100,000,000
    #expect(Array(frame[16..<18]) == [1, 1])
    let celsius = (0..<8).reduce(UInt64(0)) { $0 | UInt64(frame[18 + $1]) << UInt64(8 * $1) }
    #expect(Double(bitPattern: celsius) == -12.5)
    #expect(Array(frame[26..<36]) == [UInt8](repeating: 0, count: 10))
    #expect(Array(frame[36..<39]) == [1, 0, 1])
    let error = (0..<8).reduce(UInt64(0)) { $0 | UInt64(frame[39 + $1]) << UInt64(8 * $1) }
    #expect(Double(bitPattern: error) == 0.25)
    let crc = (0..<4).reduce(UInt32(0)) { $0 | UInt32(frame[47 + $1]) << UInt32(8 * $1) }
    #expect(crc == CRC32.checksum(frame[2..<47]))
  }

  @Test func anAnswerIsDecodedAndACorruptOneRefused() throws {
    var body: [UInt8] = [0, 2]  // link sound, state tripped
    body += [7, 0, 0, 0]  // sequence 7
    body += [0x00, 0xE1, 0xF5, 0x05, 0, 0, 0, 0]  // 100,000,000 ns
    body += [3, 0]  // trip: check raw value 2; enable open
    for value in [0.0, -1.0] {
      let bits = value.bitPattern
      body += (0..<8).map { UInt8(truncatingIfNeeded: bits >> UInt64(8 * $0)) }
    }
    body += [10, 0, 0, 0, 0x40, 0, 0, 0]  // cost 10 counts; stack 64 B
    let crc = CRC32.checksum(body)
    let frame =
      [0xD5, 0x41] + body + (0..<4).map { UInt8(truncatingIfNeeded: crc >> UInt32(8 * $0)) }
    let answer = try #require(FirmwareFrames.answer(frame))
    #expect(answer.sequence == 7 && answer.timeNanoseconds == 100_000_000)
    #expect(answer.loopState == .tripped && !answer.enabled)
    #expect(answer.trippedCheck?.rawValue == 2)
    #expect(answer.sentCommand == 0 && answer.controllerCommand == -1)
    #expect(answer.tickCostCounts == 10 && answer.stackHighWaterBytes == 64)
    for index in [1, 5, 30, 45] {
      var corrupt = frame
      corrupt[index] ^= 0x10
      #expect(FirmwareFrames.answer(corrupt) == nil, "byte \(index) flipped")
    }
    #expect(FirmwareFrames.answer(Array(frame.dropLast())) == nil)
  }
}
