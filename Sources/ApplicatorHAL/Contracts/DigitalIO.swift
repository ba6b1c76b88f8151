/// A digital input: an interlock (contact, coolant flow, key switch).
public protocol DigitalInput {
  /// Reads the line; `true` is the asserted (safe to treat) level after any
  /// configured inversion.
  mutating func read(nowNanoseconds: UInt64) throws(FaultKind) -> Bool
}

/// A digital output: an enable or a direction line.
public protocol DigitalOutput {
  /// Drives the line; `true` is the active level after any configured inversion.
  mutating func write(_ active: Bool, nowNanoseconds: UInt64) throws(FaultKind)
}
