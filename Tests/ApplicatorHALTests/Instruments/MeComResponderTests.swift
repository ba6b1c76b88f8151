import InstrumentProtocols
import Testing

/// A two-parameter device: object temperature 1000 (read-only, 21.75 °C) and target
/// temperature 3000 (writable, −20…80 °C), instance 1 only.
private struct TwoParameters: MeComParameterTable {
  var targetCelsius: Float = 25

  func read(parameterID: UInt16, instance: UInt8) -> Result<MeComValue, MeComServerError> {
    guard parameterID == 1000 || parameterID == 3000 else {
      return .failure(MeComServerError(code: 5))
    }
    guard instance == 1 else { return .failure(MeComServerError(code: 8)) }
    return .success(.float32(parameterID == 1000 ? 21.75 : targetCelsius))
  }

  mutating func write(parameterID: UInt16, instance: UInt8, bits: UInt32) -> MeComServerError? {
    guard parameterID == 1000 || parameterID == 3000 else { return MeComServerError(code: 5) }
    guard instance == 1 else { return MeComServerError(code: 8) }
    guard parameterID == 3000 else { return MeComServerError(code: 6) }
    let value = Float(bitPattern: bits)
    guard value.isFinite, (-20...80).contains(value) else { return MeComServerError(code: 7) }
    targetCelsius = value
    return nil
  }
}

@Suite("MeCom responder (device side)")
struct MeComResponderTests {
  private typealias Reference = MeComReferenceFrames

  @Test("the reference read gets the reference value reply, the reference write its acknowledge")
  func referenceExchange() {
    var table = TwoParameters()
    #expect(
      MeComResponder.reply(
        to: Reference.readObjectTemperature, deviceAddress: 0, parameters: &table)
        == Reference.objectTemperatureReply)
    #expect(
      MeComResponder.reply(
        to: Reference.setTargetTemperature, deviceAddress: 0, parameters: &table)
        == Reference.targetTemperatureAcknowledge)
    #expect(table.targetCelsius == 21.75)
  }

  @Test("the host's decoder accepts what the responder sends, and reads the value written")
  func hostAndDeviceAgree() throws {
    var table = TwoParameters()
    let write = MeComRequest(
      address: 7, sequence: 1, command: .set(parameterID: 3000, instance: 1, value: .float32(-12)))
    let acknowledge = try #require(
      MeComResponder.reply(to: write.bytes, deviceAddress: 7, parameters: &table))
    #expect(try MeComReplyDecoder.decode(acknowledge, for: write) == .acknowledged)
    let read = MeComRequest(address: 7, sequence: 2, command: .read(parameterID: 3000, instance: 1))
    let value = try #require(
      MeComResponder.reply(to: read.bytes, deviceAddress: 7, parameters: &table))
    #expect(try MeComReplyDecoder.decode(value, for: read).float32() == -12)
  }

  @Test(
    "refusals are server errors the host decodes: 5, 6, 7, 8, and 1 for an unknown command",
    arguments: [
      (MeComCommand.read(parameterID: 9999, instance: 1), UInt8(5)),
      (.set(parameterID: 1000, instance: 1, value: .float32(0)), 6),
      (.set(parameterID: 3000, instance: 1, value: .float32(200)), 7),
      (.set(parameterID: 3000, instance: 1, value: .float32(.nan)), 7),
      (.read(parameterID: 1000, instance: 2), 8),
    ])
  func refusals(command: MeComCommand, code: UInt8) throws {
    var table = TwoParameters()
    let request = MeComRequest(address: 3, sequence: 0x0102, command: command)
    let reply = try #require(
      MeComResponder.reply(to: request.bytes, deviceAddress: 3, parameters: &table))
    #expect(throws: MeComError.serverError(MeComServerError(code: code))) {
      try MeComReplyDecoder.decode(reply, for: request)
    }
    #expect(table.targetCelsius == 25)
  }

  @Test("an unknown command with a good CRC is server error 1")
  func unknownCommand() {
    var table = TwoParameters()
    // `?IF` (identification), a reference frame this responder does not offer.
    let reply = MeComResponder.reply(
      to: Array("#0015AA?IF62AE\r".utf8), deviceAddress: 0, parameters: &table)
    #expect(
      reply
        == MeComFrame.serverErrorReply(
          address: 0, sequence: 0x15AA, error: MeComResponder.commandNotAvailable))
  }

  @Test("silence: a bad CRC, another address; a broadcast is carried out but not answered")
  func silence() {
    var table = TwoParameters()
    var corrupted = Reference.readObjectTemperature
    corrupted[10] = 0x39
    #expect(MeComResponder.reply(to: corrupted, deviceAddress: 0, parameters: &table) == nil)
    #expect(
      MeComResponder.reply(
        to: Reference.readObjectTemperature, deviceAddress: 1, parameters: &table) == nil)
    let broadcast = MeComRequest(
      address: 255, sequence: 9, command: .set(parameterID: 3000, instance: 1, value: .float32(5)))
    #expect(MeComResponder.reply(to: broadcast.bytes, deviceAddress: 4, parameters: &table) == nil)
    #expect(table.targetCelsius == 5)
  }
}
