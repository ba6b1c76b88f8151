/// A slave's reply that passed every check of ``ModbusRTUDecoder``.
public enum ModbusResponse: Equatable, Sendable {
  /// The registers a read (03 or 04) asked for, in order.
  case registers([UInt16])
  /// The echo of a single-register write (06).
  case wroteSingleRegister(address: UInt16, value: UInt16)
  /// The echo of a multiple-register write (16): start and count.
  case wroteMultipleRegisters(start: UInt16, count: UInt16)

  /// The protocol data unit answering a request with `functionCode` (the slave side's
  /// encoder).
  func pdu(functionCode: UInt8) -> [UInt8] {
    var bytes = [functionCode]
    switch self {
    case .registers(let values):
      bytes.append(UInt8(truncatingIfNeeded: values.count * 2))
      for value in values { ModbusBytes.append(value, to: &bytes) }
    case .wroteSingleRegister(let address, let value):
      ModbusBytes.append(address, to: &bytes)
      ModbusBytes.append(value, to: &bytes)
    case .wroteMultipleRegisters(let start, let count):
      ModbusBytes.append(start, to: &bytes)
      ModbusBytes.append(count, to: &bytes)
    }
    return bytes
  }
}
