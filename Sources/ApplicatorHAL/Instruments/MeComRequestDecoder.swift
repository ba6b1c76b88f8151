/// The device side's strict reader of host requests (for emulators and for checking what a
/// driver sends).
public enum MeComRequestDecoder {
  /// Reads `frame` (from `#` to the carriage return) as a `?VR` or `VS` request.
  ///
  /// - Throws: the layout faults of ``MeComError`` (length, start `#`, hex digits),
  ///   ``MeComError/badCRC(expected:received:)``, and ``MeComError/unexpectedPayload`` for a
  ///   payload that is neither `?VR` + 6 nor `VS` + 14 hex digits. Never traps on any input.
  public static func decode(_ frame: [UInt8]) throws(MeComError) -> MeComRequest {
    let fields = try MeComFields(frame, start: MeComFrame.requestStart)
    guard fields.crcField == fields.computedCRC else {
      throw .badCRC(expected: fields.computedCRC, received: fields.crcField)
    }
    let payload = Array(fields.payload)
    let command: MeComCommand
    if payload.count == 9, payload.starts(with: "?VR".utf8),
      let parameterID = HexText.read(payload, at: 3, width: 4),
      let instance = HexText.read(payload, at: 7, width: 2)
    {
      command = .read(parameterID: UInt16(parameterID), instance: UInt8(instance))
    } else if payload.count == 16, payload.starts(with: "VS".utf8),
      let parameterID = HexText.read(payload, at: 2, width: 4),
      let instance = HexText.read(payload, at: 6, width: 2),
      let bits = HexText.read(payload, at: 8, width: 8)
    {
      // The format of the value is the parameter's; the bits are kept as an integer.
      command = .set(
        parameterID: UInt16(parameterID), instance: UInt8(instance),
        value: .int32(Int32(bitPattern: bits)))
    } else {
      throw .unexpectedPayload
    }
    return MeComRequest(address: fields.address, sequence: fields.sequence, command: command)
  }
}
