/// Modbus RTU frames: slave address (1 byte; 0 is a broadcast, which no slave answers), the
/// protocol data unit (function code and fields, big-endian), and the CRC-16/MODBUS of both,
/// low byte first. Frames are delimited by silence on the line (3.5 character times), not by
/// any byte; a frame is at most 256 bytes.
public enum ModbusRTUFrame {
  /// The longest RTU frame, bytes.
  public static let maximumBytes = 256

  /// The request frame of `request` to `slave`.
  ///
  /// - Throws: ``ModbusError/invalidRequest`` when the request is out of bounds
  ///   (``ModbusRequest/isValid``).
  public static func request(_ request: ModbusRequest, to slave: UInt8) throws(ModbusError)
    -> [UInt8]
  {
    guard request.isValid else { throw .invalidRequest }
    var bytes = [slave] + request.pdu
    ModbusBytes.appendCRC(to: &bytes)
    return bytes
  }

  /// The slave's reply frame (for emulators): `response` to a request with `functionCode`.
  public static func response(
    _ response: ModbusResponse, functionCode: UInt8, from slave: UInt8
  ) -> [UInt8] {
    var bytes = [slave] + response.pdu(functionCode: functionCode)
    ModbusBytes.appendCRC(to: &bytes)
    return bytes
  }

  /// The slave's exception frame: function code | 0x80, then the exception code.
  public static func exception(
    _ code: ModbusExceptionCode, functionCode: UInt8, from slave: UInt8
  ) -> [UInt8] {
    var bytes = [slave, functionCode | 0x80, code.code]
    ModbusBytes.appendCRC(to: &bytes)
    return bytes
  }
}
