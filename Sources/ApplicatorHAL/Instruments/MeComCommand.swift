/// The MeCom commands devsim sends: read one parameter value (`?VR`) or set one (`VS`).
///
/// A parameter is named by its ID (16 bits, 4 hex digits) and its instance (8 bits, 2 hex
/// digits; 1 for a single-channel device).
public enum MeComCommand: Equatable, Sendable {
  /// `?VR` + ID + instance: the device answers with the value (8 hex digits).
  case read(parameterID: UInt16, instance: UInt8)
  /// `VS` + ID + instance + value: the device answers with an acknowledge.
  case set(parameterID: UInt16, instance: UInt8, value: MeComValue)

  /// The payload bytes, between the sequence number and the CRC.
  public var payload: [UInt8] {
    var bytes: [UInt8] = []
    switch self {
    case .read(let parameterID, let instance):
      bytes += Array("?VR".utf8)
      HexText.append(UInt32(parameterID), width: 4, to: &bytes)
      HexText.append(UInt32(instance), width: 2, to: &bytes)
    case .set(let parameterID, let instance, let value):
      bytes += Array("VS".utf8)
      HexText.append(UInt32(parameterID), width: 4, to: &bytes)
      HexText.append(UInt32(instance), width: 2, to: &bytes)
      HexText.append(value.bits, width: 8, to: &bytes)
    }
    return bytes
  }
}
