/// Big-endian 16-bit fields and the RTU frame's CRC trailer.
enum ModbusBytes {
  /// Appends `value` high byte first (every Modbus field).
  static func append(_ value: UInt16, to bytes: inout [UInt8]) {
    bytes.append(UInt8(value >> 8))
    bytes.append(UInt8(value & 0xFF))
  }

  /// The 16-bit field at `index`, high byte first; `nil` past the end.
  static func read(_ bytes: [UInt8], at index: Int) -> UInt16? {
    guard index >= 0, index + 1 < bytes.count else { return nil }
    return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
  }

  /// Appends the CRC-16/MODBUS of `bytes`, low byte first.
  static func appendCRC(to bytes: inout [UInt8]) {
    let crc = CRC16.modbus(bytes)
    bytes.append(UInt8(crc & 0xFF))
    bytes.append(UInt8(crc >> 8))
  }
}
