/// The Modbus requests devsim uses (function codes 03, 04, 06, 16), register addresses as
/// sent on the wire (0-based).
public enum ModbusRequest: Equatable, Sendable {
  /// 03: read `count` (1…125) holding registers from `start`.
  case readHoldingRegisters(start: UInt16, count: UInt16)
  /// 04: read `count` (1…125) input registers from `start`.
  case readInputRegisters(start: UInt16, count: UInt16)
  /// 06: write `value` to the holding register at `address`.
  case writeSingleRegister(address: UInt16, value: UInt16)
  /// 16 (0x10): write `values` (1…123 registers) from `start`.
  case writeMultipleRegisters(start: UInt16, values: [UInt16])

  /// The most registers one read may ask for (the reply must fit 256 bytes).
  public static let maximumReadCount: UInt16 = 125
  /// The most registers one write may carry.
  public static let maximumWriteCount = 123

  /// The function code.
  public var functionCode: UInt8 {
    switch self {
    case .readHoldingRegisters: 0x03
    case .readInputRegisters: 0x04
    case .writeSingleRegister: 0x06
    case .writeMultipleRegisters: 0x10
    }
  }

  /// Whether the counts are within the protocol's bounds (and the range within the 16-bit
  /// address space).
  public var isValid: Bool {
    switch self {
    case .readHoldingRegisters(let start, let count), .readInputRegisters(let start, let count):
      (1...Self.maximumReadCount).contains(count) && Int(start) + Int(count) <= 0x1_0000
    case .writeSingleRegister: true
    case .writeMultipleRegisters(let start, let values):
      (1...Self.maximumWriteCount).contains(values.count)
        && Int(start) + values.count <= 0x1_0000
    }
  }

  /// The protocol data unit: function code and its fields, big-endian.
  var pdu: [UInt8] {
    var bytes = [functionCode]
    switch self {
    case .readHoldingRegisters(let start, let count), .readInputRegisters(let start, let count):
      ModbusBytes.append(start, to: &bytes)
      ModbusBytes.append(count, to: &bytes)
    case .writeSingleRegister(let address, let value):
      ModbusBytes.append(address, to: &bytes)
      ModbusBytes.append(value, to: &bytes)
    case .writeMultipleRegisters(let start, let values):
      ModbusBytes.append(start, to: &bytes)
      ModbusBytes.append(UInt16(truncatingIfNeeded: values.count), to: &bytes)
      bytes.append(UInt8(truncatingIfNeeded: values.count * 2))
      for value in values { ModbusBytes.append(value, to: &bytes) }
    }
    return bytes
  }
}
