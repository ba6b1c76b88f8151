/// A Modbus exception code: the slave's refusal (function code | 0x80, then this byte).
public struct ModbusExceptionCode: Equatable, Sendable, CustomStringConvertible {
  /// The code as sent.
  public let code: UInt8

  /// 01: the slave does not offer the function.
  public static let illegalFunction = ModbusExceptionCode(code: 0x01)
  /// 02: a register outside the slave's map.
  public static let illegalDataAddress = ModbusExceptionCode(code: 0x02)
  /// 03: a value the slave does not accept (or a count out of bounds).
  public static let illegalDataValue = ModbusExceptionCode(code: 0x03)
  /// 04: the slave failed while carrying out the request.
  public static let serverDeviceFailure = ModbusExceptionCode(code: 0x04)

  /// Wraps a code.
  public init(code: UInt8) { self.code = code }

  /// What the code means, in our words.
  public var description: String {
    let meaning =
      switch code {
      case 0x01: "illegal function"
      case 0x02: "illegal data address"
      case 0x03: "illegal data value"
      case 0x04: "server device failure"
      case 0x05: "acknowledge (long operation under way)"
      case 0x06: "server device busy"
      case 0x08: "memory parity error"
      case 0x0A: "gateway path unavailable"
      case 0x0B: "gateway target failed to respond"
      default: "unknown exception"
      }
    return "Modbus exception \(code) (\(meaning))"
  }
}
