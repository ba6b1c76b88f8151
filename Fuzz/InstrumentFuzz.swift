// The `mecom`, `modbus` and `arroyo` fuzz targets: the frame codecs of InstrumentProtocols.
//
// Built by scripts/fuzz.sh (see FuzzMain.swift); outside Sources so SwiftPM never builds it.
// Any trap in the library is a finding; the `precondition`s are the oracle: a frame a strict
// decoder accepts must be the one the encoder builds from what was decoded, byte for byte.

import InstrumentProtocols

/// Reads `bytes` as a MeCom request and as a reply to a few requests, and as a stream cut
/// into frames.
func fuzzMeCom(_ bytes: [UInt8]) {
  var assembler = MeComFrameAssembler(start: MeComFrame.replyStart)
  for byte in bytes {
    guard case .frame(let frame) = assembler.take(byte) else { continue }
    precondition(
      frame.first == MeComFrame.replyStart && frame.last == MeComFrame.end
        && frame.count <= MeComFrame.maximumBytes, "MeCom assembler frame bounds")
  }
  checkMeComResponder(bytes)
  if let request = try? MeComRequestDecoder.decode(bytes) {
    let again = MeComRequest(
      address: request.address, sequence: request.sequence, command: request.command)
    precondition(again.bytes == bytes, "MeCom request round trip")
  }
  // Requests to the frame's own address and sequence when it has them, so that the checks
  // past the CRC are reached.
  let address = UInt8(truncatingIfNeeded: bytes.count > 2 ? Int(bytes[1]) ^ Int(bytes[2]) : 0)
  let sequence = UInt16(truncatingIfNeeded: bytes.count)
  for candidate in [
    MeComRequest(
      address: address, sequence: sequence, command: .read(parameterID: 1000, instance: 1)),
    MeComRequest(
      address: 0, sequence: 0x15B0,
      command: .set(parameterID: 3000, instance: 1, value: .float32(21.75))),
    MeComRequest(address: 0, sequence: 0x15AB, command: .read(parameterID: 1000, instance: 1)),
  ] {
    guard let reply = try? MeComReplyDecoder.decode(bytes, for: candidate) else { continue }
    switch reply {
    case .value(let bits):
      _ = try? reply.float32()
      let built = MeComFrame.valueReply(
        address: candidate.address, sequence: candidate.sequence,
        value: .int32(Int32(bitPattern: bits)))
      precondition(built == bytes, "MeCom value reply round trip")
    case .acknowledged:
      let built = MeComFrame.acknowledge(
        address: candidate.address, sequence: candidate.sequence, requestCRC: candidate.crc)
      precondition(built == bytes, "MeCom acknowledge round trip")
    }
  }
}

/// Reads `bytes` as a Modbus RTU request and as the reply to requests shaped after it.
func fuzzModbus(_ bytes: [UInt8]) {
  if let (slave, request) = try? ModbusRTUDecoder.decodeRequest(bytes) {
    let built = try? ModbusRTUFrame.request(request, to: slave)
    precondition(built == bytes, "Modbus request round trip")
  }
  let slave = bytes.first ?? 1
  func field(_ index: Int) -> UInt16 {
    index + 1 < bytes.count ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]) : 0
  }
  var requests: [ModbusRequest] = [
    .writeSingleRegister(address: field(2), value: field(4)),
    .writeMultipleRegisters(
      start: field(2), values: Array(repeating: 0, count: Int(field(4) % 124))),
  ]
  let count = (bytes.count - 5) / 2
  if (1...125).contains(count) {
    requests += [
      .readHoldingRegisters(start: 0, count: UInt16(count)),
      .readInputRegisters(start: 0, count: UInt16(count)),
    ]
  }
  for request in requests {
    do {
      let response = try ModbusRTUDecoder.decodeResponse(bytes, to: request, from: slave)
      let built = ModbusRTUFrame.response(
        response, functionCode: request.functionCode, from: slave)
      precondition(built == bytes, "Modbus response round trip")
    } catch .exception(let function, let code) {
      let built = ModbusRTUFrame.exception(code, functionCode: function, from: slave)
      precondition(built == bytes, "Modbus exception round trip")
    } catch {}
  }
}

/// Reads `bytes` as each kind of Arroyo reply; a number read must survive being written as
/// an argument and read back.
func fuzzArroyo(_ bytes: [UInt8]) {
  _ = try? ArroyoReply.flag(bytes)
  _ = try? ArroyoReply.error(bytes)
  guard let value = try? ArroyoReply.number(bytes) else { return }
  precondition(value.isFinite, "Arroyo number not finite")
  guard let line = try? ArroyoLine.encode(.set("TEC:T", value, decimals: 6)) else { return }
  // "TEC:T " then the number then LF: read the number back as a reply.
  guard let parsed = try? ArroyoReply.number(Array(line.dropFirst(6))) else {
    preconditionFailure("Arroyo argument does not read back: \(line)")
  }
  let tolerance = 0.5e-6 + value.magnitude * 1e-15
  precondition((parsed - value).magnitude <= tolerance, "Arroyo number round trip \(value)")
}

/// A device for the responder: even parameter IDs exist and are writable, odd ones do not.
private struct EvenParameters: MeComParameterTable {
  func read(parameterID: UInt16, instance: UInt8) -> Result<MeComValue, MeComServerError> {
    parameterID % 2 == 0
      ? .success(.int32(Int32(parameterID))) : .failure(MeComServerError(code: 5))
  }
  mutating func write(parameterID: UInt16, instance: UInt8, bits: UInt32) -> MeComServerError? {
    parameterID % 2 == 0 ? nil : MeComServerError(code: 5)
  }
}

/// What the device side answers to a request the decoder accepts, the host side must accept
/// (a server error being an accepted answer).
func checkMeComResponder(_ bytes: [UInt8]) {
  guard let request = try? MeComRequestDecoder.decode(bytes) else { return }
  var table = EvenParameters()
  let reply = MeComResponder.reply(to: bytes, deviceAddress: request.address, parameters: &table)
  guard let reply else {
    precondition(request.address == MeComResponder.broadcastAddress, "MeCom responder silent")
    return
  }
  do {
    _ = try MeComReplyDecoder.decode(reply, for: request)
  } catch .serverError {
  } catch {
    preconditionFailure("MeCom responder reply refused by the host: \(error)")
  }
}
