/// Why a MeCom frame was refused. Every case is a fault: a reply that cannot be trusted is
/// never used.
public enum MeComError: Error, Equatable, Sendable {
  /// The frame has no terminating carriage return, or is shorter than the shortest frame.
  case partialFrame(bytes: Int)
  /// The frame is longer than ``MeComFrame/maximumBytes``.
  case overlong(bytes: Int)
  /// The first byte is not the expected start character (`!` for a reply, `#` for a request).
  case badStart(UInt8)
  /// A byte where an uppercase hex digit belongs, at that index of the frame.
  case badHexDigit(index: Int)
  /// The CRC field differs from the CRC of the frame (or, in an acknowledge, from the CRC of
  /// the request).
  case badCRC(expected: UInt16, received: UInt16)
  /// The reply comes from another address than the request went to.
  case wrongAddress(expected: UInt8, received: UInt8)
  /// The reply answers another request (a stale or duplicated reply).
  case wrongSequence(expected: UInt16, received: UInt16)
  /// The device refused the request.
  case serverError(MeComServerError)
  /// The payload is not the reply the request calls for (a value where an acknowledge was
  /// due, or a value of the wrong length) or not a command this codec reads.
  case unexpectedPayload
  /// A float value that is NaN or infinite.
  case nonFiniteValue
}
