/// A MeCom parameter value: the vendor's parameter tables give each parameter one of two
/// formats, and both travel as the 32-bit pattern in 8 hex digits.
public enum MeComValue: Equatable, Sendable {
  /// A signed integer (enables, selections, status and error numbers).
  case int32(Int32)
  /// An IEEE-754 single (temperatures °C, currents A, voltages V).
  case float32(Float)

  /// The 32-bit pattern sent on the wire (two's complement, or the float's bits).
  public var bits: UInt32 {
    switch self {
    case .int32(let value): UInt32(bitPattern: value)
    case .float32(let value): value.bitPattern
    }
  }
}
