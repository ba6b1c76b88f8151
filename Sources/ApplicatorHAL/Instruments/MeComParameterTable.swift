/// The parameters a device (an emulator) offers over MeCom, as ``MeComResponder`` asks for
/// them.
public protocol MeComParameterTable {
  /// The value of a parameter, or the server error a read of it gets (5 not available, 8
  /// instance not available).
  func read(parameterID: UInt16, instance: UInt8) -> Result<MeComValue, MeComServerError>
  /// Sets a parameter from its 32-bit pattern (read as the parameter's own format); `nil` on
  /// success, else the server error (5, 6 read-only, 7 out of range, 8).
  mutating func write(parameterID: UInt16, instance: UInt8, bits: UInt32) -> MeComServerError?
}
