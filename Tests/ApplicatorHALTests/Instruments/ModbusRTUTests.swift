import InstrumentProtocols
import Testing

/// Modbus RTU frames quoted in docs/instruments.md: the PDUs of the Modbus application
/// protocol specification's examples, sent to slave 0x11, with the frames (address and CRC)
/// built by pymodbus 3.16.1 (`FramerRTU.buildFrame`), not by this package's code.
private enum Reference {
  static let readHoldingRequest: [UInt8] = [0x11, 0x03, 0x00, 0x6B, 0x00, 0x03, 0x76, 0x87]
  static let readHoldingResponse: [UInt8] = [
    0x11, 0x03, 0x06, 0x02, 0x2B, 0x00, 0x00, 0x00, 0x64, 0xC8, 0xBA,
  ]
  static let readInputRequest: [UInt8] = [0x11, 0x04, 0x00, 0x08, 0x00, 0x01, 0xB2, 0x98]
  static let readInputResponse: [UInt8] = [0x11, 0x04, 0x02, 0x00, 0x0A, 0xF8, 0xF4]
  static let writeSingle: [UInt8] = [0x11, 0x06, 0x00, 0x01, 0x00, 0x03, 0x9A, 0x9B]
  static let writeMultipleRequest: [UInt8] = [
    0x11, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02, 0xC6, 0xF0,
  ]
  static let writeMultipleResponse: [UInt8] = [0x11, 0x10, 0x00, 0x01, 0x00, 0x02, 0x12, 0x98]
  /// Exception 02 (illegal data address) to a 03.
  static let readHoldingException: [UInt8] = [0x11, 0x83, 0x02, 0xC1, 0x34]
}

@Suite("Modbus RTU frames")
struct ModbusRTUTests {
  private let readHolding = ModbusRequest.readHoldingRegisters(start: 0x6B, count: 3)
  private let readInput = ModbusRequest.readInputRegisters(start: 0x08, count: 1)
  private let writeSingle = ModbusRequest.writeSingleRegister(address: 0x01, value: 0x03)
  private let writeMultiple = ModbusRequest.writeMultipleRegisters(
    start: 0x01, values: [0x000A, 0x0102])

  @Test("requests are built byte for byte as the reference frames")
  func requests() throws {
    #expect(try ModbusRTUFrame.request(readHolding, to: 0x11) == Reference.readHoldingRequest)
    #expect(try ModbusRTUFrame.request(readInput, to: 0x11) == Reference.readInputRequest)
    #expect(try ModbusRTUFrame.request(writeSingle, to: 0x11) == Reference.writeSingle)
    #expect(
      try ModbusRTUFrame.request(writeMultiple, to: 0x11) == Reference.writeMultipleRequest)
  }

  @Test("the reference replies decode to the registers and echoes")
  func responses() throws {
    #expect(
      try ModbusRTUDecoder.decodeResponse(
        Reference.readHoldingResponse, to: readHolding, from: 0x11)
        == .registers([0x022B, 0x0000, 0x0064]))
    #expect(
      try ModbusRTUDecoder.decodeResponse(Reference.readInputResponse, to: readInput, from: 0x11)
        == .registers([0x000A]))
    #expect(
      try ModbusRTUDecoder.decodeResponse(Reference.writeSingle, to: writeSingle, from: 0x11)
        == .wroteSingleRegister(address: 1, value: 3))
    #expect(
      try ModbusRTUDecoder.decodeResponse(
        Reference.writeMultipleResponse, to: writeMultiple, from: 0x11)
        == .wroteMultipleRegisters(start: 1, count: 2))
  }

  @Test("the slave side builds the reference replies")
  func slaveEncoder() {
    #expect(
      ModbusRTUFrame.response(
        .registers([0x022B, 0x0000, 0x0064]), functionCode: 0x03, from: 0x11)
        == Reference.readHoldingResponse)
    #expect(
      ModbusRTUFrame.exception(.illegalDataAddress, functionCode: 0x03, from: 0x11)
        == Reference.readHoldingException)
  }

  @Test("an exception reply is a typed fault naming function and code")
  func exceptionReply() {
    #expect(
      throws: ModbusError.exception(function: 0x03, code: .illegalDataAddress)
    ) {
      try ModbusRTUDecoder.decodeResponse(
        Reference.readHoldingException, to: readHolding, from: 0x11)
    }
    #expect(ModbusExceptionCode.illegalDataAddress.description.contains("illegal data address"))
  }

  @Test("a reply from another slave is wrong address, checked after the CRC")
  func wrongAddress() {
    // 0x12 in place of 0x11, CRC from pymodbus (FramerRTU, dev_id 0x12).
    let frame: [UInt8] = [0x12, 0x04, 0x02, 0x00, 0x0A, 0xBC, 0xF4]
    #expect(throws: ModbusError.wrongAddress(expected: 0x11, received: 0x12)) {
      try ModbusRTUDecoder.decodeResponse(frame, to: readInput, from: 0x11)
    }
  }

  @Test("a reply with another function code is wrong function")
  func wrongFunction() {
    // The reference 04 reply read as the reply to a 03 of one register.
    #expect(throws: ModbusError.wrongFunction(expected: 0x03, received: 0x04)) {
      try ModbusRTUDecoder.decodeResponse(
        Reference.readInputResponse,
        to: .readHoldingRegisters(start: 0x08, count: 1), from: 0x11)
    }
  }

  @Test("a flipped bit is bad CRC (the CRC travels low byte first)")
  func badCRC() {
    var frame = Reference.readHoldingResponse
    frame[4] ^= 0x01
    #expect(throws: ModbusError.self) {
      try ModbusRTUDecoder.decodeResponse(frame, to: readHolding, from: 0x11)
    }
    var swapped = Reference.readHoldingResponse
    swapped.swapAt(9, 10)
    #expect(throws: ModbusError.badCRC(expected: 0xBAC8, received: 0xC8BA)) {
      try ModbusRTUDecoder.decodeResponse(swapped, to: readHolding, from: 0x11)
    }
  }

  @Test("short and long frames are partial and overlong, by the length the request calls for")
  func lengths() {
    let reply = Reference.readHoldingResponse
    #expect(throws: ModbusError.partialFrame(expected: 11, received: 10)) {
      try ModbusRTUDecoder.decodeResponse(Array(reply.dropLast()), to: readHolding, from: 0x11)
    }
    #expect(throws: ModbusError.partialFrame(expected: 11, received: 0)) {
      try ModbusRTUDecoder.decodeResponse([], to: readHolding, from: 0x11)
    }
    #expect(throws: ModbusError.overlong(expected: 11, received: 12)) {
      try ModbusRTUDecoder.decodeResponse(reply + [0x00], to: readHolding, from: 0x11)
    }
    #expect(throws: ModbusError.partialFrame(expected: 5, received: 4)) {
      try ModbusRTUDecoder.decodeResponse(
        Array(Reference.readHoldingException.dropLast()), to: readHolding, from: 0x11)
    }
  }

  @Test("an echo that differs from the write is a mismatched reply")
  func mismatchedEcho() {
    // The reference 06 echo read as the reply to a write of 4 (not 3) to register 1.
    #expect(throws: ModbusError.mismatchedReply) {
      try ModbusRTUDecoder.decodeResponse(
        Reference.writeSingle, to: .writeSingleRegister(address: 1, value: 4), from: 0x11)
    }
  }

  @Test("requests out of bounds are refused, not sent")
  func invalidRequests() {
    #expect(throws: ModbusError.invalidRequest) {
      try ModbusRTUFrame.request(.readHoldingRegisters(start: 0, count: 0), to: 1)
    }
    #expect(throws: ModbusError.invalidRequest) {
      try ModbusRTUFrame.request(.readInputRegisters(start: 0, count: 126), to: 1)
    }
    #expect(throws: ModbusError.invalidRequest) {
      try ModbusRTUFrame.request(.readHoldingRegisters(start: 0xFFFF, count: 2), to: 1)
    }
    #expect(throws: ModbusError.invalidRequest) {
      try ModbusRTUFrame.request(
        .writeMultipleRegisters(start: 0, values: Array(repeating: 0, count: 124)), to: 1)
    }
  }

  @Test("the slave side reads the reference requests back and refuses unknown functions")
  func requestDecoder() throws {
    let read = try ModbusRTUDecoder.decodeRequest(Reference.readHoldingRequest)
    #expect(read.slave == 0x11 && read.request == readHolding)
    let write = try ModbusRTUDecoder.decodeRequest(Reference.writeMultipleRequest)
    #expect(write.slave == 0x11 && write.request == writeMultiple)
    // 01 (read coils), CRC from pymodbus: not a function this codec reads.
    #expect(throws: ModbusError.unsupportedFunction(0x01)) {
      try ModbusRTUDecoder.decodeRequest([0x11, 0x01, 0x00, 0x13, 0x00, 0x25, 0x0E, 0x84])
    }
  }
}
