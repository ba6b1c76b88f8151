/// MeCom frames quoted in docs/instruments.md ("Reference frames"), as bytes.
///
/// The requests are the worked examples of the vendor's protocol documentation as public
/// MeCom clients quote them in their tests; the replies were built by hand from the layout
/// and their CRCs computed with Python's `binascii.crc_hqx(frame, 0)` (CRC-16/XMODEM), not
/// with this package's code.
enum MeComReferenceFrames {
  /// `?VR` object temperature (1000 = 0x03E8), instance 1, address 0, sequence 0x15AB.
  static let readObjectTemperature = bytes("#0015AB?VR03E801C21A\r")
  /// `?VR` device type (100 = 0x0064), instance 1, address 0, sequence 0x15AB.
  static let readDeviceType = bytes("#0015AB?VR0064018000\r")
  /// `VS` output stage enable (2010 = 0x07DA) to 2 (int32), sequence 0x15AE.
  static let setOutputEnable = bytes("#0015AEVS07DA01000000028F97\r")
  /// `VS` target object temperature (3000 = 0x0BB8) to 21.75 °C (float 0x41AE0000), 0x15B0.
  static let setTargetTemperature = bytes("#0015B0VS0BB80141AE0000C482\r")
  /// The value reply 21.75 °C (0x41AE0000) to `readObjectTemperature`.
  static let objectTemperatureReply = bytes("!0015AB41AE00009479\r")
  /// The acknowledge of `setTargetTemperature`: its CRC, C482, echoed.
  static let targetTemperatureAcknowledge = bytes("!0015B0C482\r")
  /// Server error 5 (parameter not available) in reply to sequence 0x15AB.
  static let parameterNotAvailableReply = bytes("!0015AB+05446E\r")

  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
