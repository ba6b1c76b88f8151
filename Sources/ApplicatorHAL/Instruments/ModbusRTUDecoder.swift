/// Strict readers of Modbus RTU frames: the master's (replies) and the slave's (requests).
public enum ModbusRTUDecoder {
  /// The length of the normal reply to `request`, bytes (an exception reply is 5).
  public static func responseBytes(for request: ModbusRequest) -> Int {
    switch request {
    case .readHoldingRegisters(_, let count), .readInputRegisters(_, let count):
      5 + 2 * Int(count)
    case .writeSingleRegister, .writeMultipleRegisters: 8
    }
  }

  /// The length of an exception reply, bytes.
  public static let exceptionBytes = 5

  /// Checks `frame` as the reply of `slave` to `request` and returns what it says.
  ///
  /// Checks, in order: length against what the request calls for (an exception is 5 bytes),
  /// CRC, address, then an exception function code (the request's | 0x80) is
  /// ``ModbusError/exception(function:code:)``, another function code is
  /// ``ModbusError/wrongFunction(expected:received:)``, and the fields must agree with the
  /// request (byte count, echoed address, value, count). A broadcast (slave 0) has no reply
  /// to decode. Never traps on any input.
  public static func decodeResponse(
    _ frame: [UInt8], to request: ModbusRequest, from slave: UInt8
  ) throws(ModbusError) -> ModbusResponse {
    let function = request.functionCode
    let normalBytes = responseBytes(for: request)
    guard frame.count >= 2 else {
      throw .partialFrame(expected: normalBytes, received: frame.count)
    }
    let expected = frame[1] == function | 0x80 ? exceptionBytes : normalBytes
    guard frame.count >= expected else {
      throw .partialFrame(expected: expected, received: frame.count)
    }
    guard frame.count == expected else {
      throw .overlong(expected: expected, received: frame.count)
    }
    try checkCRC(frame)
    guard frame[0] == slave else { throw .wrongAddress(expected: slave, received: frame[0]) }
    if frame[1] == function | 0x80 {
      throw .exception(function: function, code: ModbusExceptionCode(code: frame[2]))
    }
    guard frame[1] == function else { throw .wrongFunction(expected: function, received: frame[1]) }
    switch request {
    case .readHoldingRegisters(_, let count), .readInputRegisters(_, let count):
      guard Int(frame[2]) == 2 * Int(count) else { throw .mismatchedReply }
      var registers: [UInt16] = []
      registers.reserveCapacity(Int(count))
      for index in 0..<Int(count) {
        guard let value = ModbusBytes.read(frame, at: 3 + 2 * index) else {
          throw .mismatchedReply
        }
        registers.append(value)
      }
      return .registers(registers)
    case .writeSingleRegister(let address, let value):
      guard ModbusBytes.read(frame, at: 2) == address, ModbusBytes.read(frame, at: 4) == value
      else { throw .mismatchedReply }
      return .wroteSingleRegister(address: address, value: value)
    case .writeMultipleRegisters(let start, let values):
      guard ModbusBytes.read(frame, at: 2) == start,
        ModbusBytes.read(frame, at: 4) == UInt16(truncatingIfNeeded: values.count)
      else { throw .mismatchedReply }
      return .wroteMultipleRegisters(start: start, count: UInt16(truncatingIfNeeded: values.count))
    }
  }

  /// Reads `frame` as a request (the slave's side, for emulators and for checking what a
  /// driver sends): the slave address it goes to and the request.
  ///
  /// - Throws: ``ModbusError/partialFrame(expected:received:)`` and
  ///   ``ModbusError/overlong(expected:received:)`` for a length the function does not
  ///   have, ``ModbusError/badCRC(expected:received:)``,
  ///   ``ModbusError/unsupportedFunction(_:)`` for a function other than 03, 04, 06, 16,
  ///   ``ModbusError/invalidRequest`` for counts out of bounds. Never traps on any input.
  public static func decodeRequest(_ frame: [UInt8]) throws(ModbusError) -> (
    slave: UInt8, request: ModbusRequest
  ) {
    guard frame.count <= ModbusRTUFrame.maximumBytes else {
      throw .overlong(expected: ModbusRTUFrame.maximumBytes, received: frame.count)
    }
    // The fixed-length requests are 8 bytes; a 16's length is known from its byte count.
    var expected = 8
    if frame.count > 6, frame[1] == 0x10 { expected = 9 + Int(frame[6]) }
    guard frame.count >= 4 else { throw .partialFrame(expected: expected, received: frame.count) }
    try checkCRC(frame)
    let function = frame[1]
    guard [0x03, 0x04, 0x06, 0x10].contains(function) else { throw .unsupportedFunction(function) }
    guard frame.count >= expected else {
      throw .partialFrame(expected: expected, received: frame.count)
    }
    guard frame.count == expected else {
      throw .overlong(expected: expected, received: frame.count)
    }
    guard let first = ModbusBytes.read(frame, at: 2), let second = ModbusBytes.read(frame, at: 4)
    else { throw .partialFrame(expected: expected, received: frame.count) }
    let request: ModbusRequest
    switch function {
    case 0x03: request = .readHoldingRegisters(start: first, count: second)
    case 0x04: request = .readInputRegisters(start: first, count: second)
    case 0x06: request = .writeSingleRegister(address: first, value: second)
    default:
      guard Int(frame[6]) == 2 * Int(second) else { throw .invalidRequest }
      var values: [UInt16] = []
      for index in 0..<Int(second) {
        guard let value = ModbusBytes.read(frame, at: 7 + 2 * index) else {
          throw .invalidRequest
        }
        values.append(value)
      }
      request = .writeMultipleRegisters(start: first, values: values)
    }
    guard request.isValid else { throw .invalidRequest }
    return (frame[0], request)
  }

  /// Checks the trailing CRC (low byte first) of a frame of at least 2 bytes.
  private static func checkCRC(_ frame: [UInt8]) throws(ModbusError) {
    let body = frame.count - 2
    let received = UInt16(frame[body]) | UInt16(frame[body + 1]) << 8
    let computed = CRC16.modbus(frame[0..<body])
    guard received == computed else { throw .badCRC(expected: computed, received: received) }
  }
}
