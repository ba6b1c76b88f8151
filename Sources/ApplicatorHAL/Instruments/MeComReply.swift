/// A device reply that passed every check of ``MeComReplyDecoder``.
public enum MeComReply: Equatable, Sendable {
  /// The value a `?VR` asked for, as its 32-bit pattern.
  case value(bits: UInt32)
  /// The acknowledge of a `VS`.
  case acknowledged

  /// The value read as a signed integer.
  public func int32() throws(MeComError) -> Int32 {
    guard case .value(let bits) = self else { throw .unexpectedPayload }
    return Int32(bitPattern: bits)
  }

  /// The value read as a finite IEEE-754 single.
  public func float32() throws(MeComError) -> Float {
    guard case .value(let bits) = self else { throw .unexpectedPayload }
    let value = Float(bitPattern: bits)
    guard value.isFinite else { throw .nonFiniteValue }
    return value
  }
}
