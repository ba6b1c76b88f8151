import InstrumentProtocols
import Testing

@Suite("MeCom frames")
struct MeComTests {
  private typealias Reference = MeComReferenceFrames

  private let readTemperature = MeComRequest(
    address: 0, sequence: 0x15AB, command: .read(parameterID: 1000, instance: 1))
  private let setTarget = MeComRequest(
    address: 0, sequence: 0x15B0,
    command: .set(parameterID: 3000, instance: 1, value: .float32(21.75)))

  @Test("requests are built byte for byte as the reference frames")
  func requestsMatchReferenceFrames() {
    #expect(readTemperature.bytes == Reference.readObjectTemperature)
    #expect(
      MeComRequest(address: 0, sequence: 0x15AB, command: .read(parameterID: 100, instance: 1))
        .bytes == Reference.readDeviceType)
    #expect(
      MeComRequest(
        address: 0, sequence: 0x15AE,
        command: .set(parameterID: 2010, instance: 1, value: .int32(2))
      ).bytes == Reference.setOutputEnable)
    #expect(setTarget.bytes == Reference.setTargetTemperature)
    #expect(setTarget.crc == 0xC482)
  }

  @Test("a negative int32 is sent as its two's complement, a float as its IEEE bits")
  func valueEncoding() {
    #expect(MeComValue.int32(-2).bits == 0xFFFF_FFFE)
    #expect(MeComValue.float32(21.75).bits == 0x41AE_0000)
    #expect(MeComValue.float32(-1).bits == 0xBF80_0000)
  }

  @Test("the reference value reply decodes to 21.75 °C")
  func valueReply() throws {
    let reply = try MeComReplyDecoder.decode(
      Reference.objectTemperatureReply, for: readTemperature)
    #expect(reply == .value(bits: 0x41AE_0000))
    #expect(try reply.float32() == 21.75)
  }

  @Test("the reference acknowledge (the request's CRC echoed) decodes as acknowledged")
  func acknowledge() throws {
    #expect(
      try MeComReplyDecoder.decode(Reference.targetTemperatureAcknowledge, for: setTarget)
        == .acknowledged)
    #expect(
      MeComFrame.acknowledge(address: 0, sequence: 0x15B0, requestCRC: setTarget.crc)
        == Reference.targetTemperatureAcknowledge)
  }

  @Test("an acknowledge echoing another CRC is bad CRC")
  func acknowledgeOfAnotherRequest() {
    #expect(throws: MeComError.badCRC(expected: 0xC482, received: 0xC483)) {
      try MeComReplyDecoder.decode(Array("!0015B0C483\r".utf8), for: setTarget)
    }
  }

  @Test("a late acknowledge (an earlier sequence, its own request's CRC) is a wrong sequence")
  func lateAcknowledge() {
    // The acknowledge of the request before setTarget: sequence 0x15AF, echoing that
    // request's CRC, which is not setTarget's. The link drops a wrong sequence as late.
    let earlier = MeComRequest(
      address: 0, sequence: 0x15AF,
      command: .set(parameterID: 2010, instance: 1, value: .int32(2)))
    let late = MeComFrame.acknowledge(address: 0, sequence: 0x15AF, requestCRC: earlier.crc)
    #expect(earlier.crc != setTarget.crc)
    #expect(throws: MeComError.wrongSequence(expected: 0x15B0, received: 0x15AF)) {
      try MeComReplyDecoder.decode(late, for: setTarget)
    }
  }

  @Test("a server error reply is a typed fault naming the code")
  func serverError() {
    #expect(throws: MeComError.serverError(MeComServerError(code: 5))) {
      try MeComReplyDecoder.decode(Reference.parameterNotAvailableReply, for: readTemperature)
    }
    #expect(
      MeComFrame.serverErrorReply(
        address: 0, sequence: 0x15AB, error: MeComServerError(code: 5))
        == Reference.parameterNotAvailableReply)
    #expect(MeComServerError(code: 5).description.contains("parameter not available"))
  }

  @Test("wrong sequence and wrong address are faults, checked after the CRC")
  func wrongSequenceAndAddress() {
    // Valid frames (CRCs from binascii.crc_hqx) of another sequence and another address.
    #expect(throws: MeComError.wrongSequence(expected: 0x15AB, received: 0x15AA)) {
      try MeComReplyDecoder.decode(Array("!0015AA41AE0000B93D\r".utf8), for: readTemperature)
    }
    #expect(throws: MeComError.wrongAddress(expected: 0, received: 1)) {
      try MeComReplyDecoder.decode(Array("!0115AB41AE0000D11A\r".utf8), for: readTemperature)
    }
  }

  @Test("a corrupted byte is bad CRC")
  func corruptedByte() {
    var frame = Reference.objectTemperatureReply
    frame[8] = 0x30  // 41AE… becomes 40AE… (CRC 2C18 from binascii.crc_hqx)
    #expect(throws: MeComError.badCRC(expected: 0x2C18, received: 0x9479)) {
      try MeComReplyDecoder.decode(frame, for: readTemperature)
    }
  }

  @Test("partial, overlong, badly started and lowercase frames are refused")
  func layoutFaults() {
    let reply = Reference.objectTemperatureReply
    #expect(throws: MeComError.partialFrame(bytes: reply.count - 1)) {
      try MeComReplyDecoder.decode(Array(reply.dropLast()), for: readTemperature)
    }
    #expect(throws: MeComError.partialFrame(bytes: 0)) {
      try MeComReplyDecoder.decode([], for: readTemperature)
    }
    #expect(throws: MeComError.partialFrame(bytes: 6)) {
      try MeComReplyDecoder.decode(Array("!0015\r".utf8), for: readTemperature)
    }
    let long = [UInt8]([0x21]) + [UInt8](repeating: 0x30, count: MeComFrame.maximumBytes)
    #expect(throws: MeComError.overlong(bytes: MeComFrame.maximumBytes + 1)) {
      try MeComReplyDecoder.decode(long, for: readTemperature)
    }
    #expect(throws: MeComError.badStart(0x23)) {
      try MeComReplyDecoder.decode(Reference.readObjectTemperature, for: readTemperature)
    }
    #expect(throws: MeComError.badHexDigit(index: 6)) {
      try MeComReplyDecoder.decode(Array("!0015Ab41AE00009479\r".utf8), for: readTemperature)
    }
  }

  @Test("a value where an acknowledge is due, and an acknowledge where a value is due, are refused")
  func unexpectedPayload() throws {
    let readDeviceType = MeComRequest(
      address: 0, sequence: 0x15AB,
      command: .set(parameterID: 100, instance: 1, value: .int32(0)))
    #expect(throws: MeComError.unexpectedPayload) {
      try MeComReplyDecoder.decode(Reference.objectTemperatureReply, for: readDeviceType)
    }
    let acknowledge = MeComFrame.acknowledge(
      address: 0, sequence: 0x15AB, requestCRC: readTemperature.crc)
    #expect(throws: MeComError.unexpectedPayload) {
      try MeComReplyDecoder.decode(acknowledge, for: readTemperature)
    }
  }

  @Test("a NaN float reply is a fault; the same bits read as int32 are a number")
  func nonFiniteFloat() throws {
    let reply = try MeComReplyDecoder.decode(
      Array("!0015AB7FC0000074B8\r".utf8), for: readTemperature)
    #expect(throws: MeComError.nonFiniteValue) { try reply.float32() }
    #expect(try reply.int32() == 0x7FC0_0000)
  }

  @Test("the device side reads the reference requests back")
  func requestDecoder() throws {
    let read = try MeComRequestDecoder.decode(Reference.readObjectTemperature)
    #expect(read == readTemperature)
    let set = try MeComRequestDecoder.decode(Reference.setTargetTemperature)
    #expect(set.command == .set(parameterID: 3000, instance: 1, value: .int32(0x41AE_0000)))
    #expect(set.crc == 0xC482)
    var corrupted = Reference.setTargetTemperature
    corrupted[3] = 0x36  // 15B0 becomes 65B0 (CRC 4C9B from binascii.crc_hqx)
    #expect(throws: MeComError.badCRC(expected: 0x4C9B, received: 0xC482)) {
      try MeComRequestDecoder.decode(corrupted)
    }
    #expect(throws: MeComError.unexpectedPayload) {
      try MeComRequestDecoder.decode(Array("#0015AA?IF62AE\r".utf8))
    }
  }
}
