/// Why a Modbus RTU frame was refused. Every case is a fault: a reply that cannot be trusted
/// is never used.
public enum ModbusError: Error, Equatable, Sendable {
  /// Fewer bytes than the frame needs (`expected` is the length the request calls for).
  case partialFrame(expected: Int, received: Int)
  /// More bytes than the frame can have (trailing bytes, or above the 256-byte RTU limit).
  case overlong(expected: Int, received: Int)
  /// The trailing CRC differs from the CRC-16/MODBUS of the frame.
  case badCRC(expected: UInt16, received: UInt16)
  /// The reply comes from another slave than the request went to.
  case wrongAddress(expected: UInt8, received: UInt8)
  /// The reply's function code is neither the request's nor its exception form.
  case wrongFunction(expected: UInt8, received: UInt8)
  /// The slave refused the request.
  case exception(function: UInt8, code: ModbusExceptionCode)
  /// The reply's fields disagree with the request (byte count, echoed address or value).
  case mismatchedReply
  /// A request out of the protocol's bounds (count, address range, byte count); a slave
  /// answers it with exception 03.
  case invalidRequest
  /// A request with a function code this codec does not read; a slave answers it with
  /// exception 01.
  case unsupportedFunction(UInt8)
}
