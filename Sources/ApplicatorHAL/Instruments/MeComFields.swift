/// The fields of one MeCom frame whose layout and CRC field have been checked (not yet the
/// CRC's value, which depends on the kind of frame).
struct MeComFields {
  /// The address field.
  let address: UInt8
  /// The sequence field.
  let sequence: UInt16
  /// The bytes between sequence and CRC.
  let payload: ArraySlice<UInt8>
  /// The CRC field.
  let crcField: UInt16
  /// The CRC-16/XMODEM of start, address, sequence and payload.
  let computedCRC: UInt16

  /// Splits `frame` (start to carriage return) after checking its length, start character,
  /// terminator and the hex digits of address, sequence and CRC.
  init(_ frame: [UInt8], start: UInt8) throws(MeComError) {
    guard frame.count <= MeComFrame.maximumBytes else { throw .overlong(bytes: frame.count) }
    guard let first = frame.first else { throw .partialFrame(bytes: 0) }
    guard first == start else { throw .badStart(first) }
    guard frame.last == MeComFrame.end,
      frame.count >= MeComFrame.headerBytes + MeComFrame.trailerBytes
    else { throw .partialFrame(bytes: frame.count) }
    let crcStart = frame.count - MeComFrame.trailerBytes
    for range in [1..<MeComFrame.headerBytes, crcStart..<(frame.count - 1)] {
      if let index = HexText.firstNonHex(frame, in: range) { throw .badHexDigit(index: index) }
    }
    // The digits were checked above: these reads cannot fail.
    address = UInt8(HexText.read(frame, at: 1, width: 2) ?? 0)
    sequence = UInt16(HexText.read(frame, at: 3, width: 4) ?? 0)
    crcField = UInt16(HexText.read(frame, at: crcStart, width: 4) ?? 0)
    payload = frame[MeComFrame.headerBytes..<crcStart]
    computedCRC = CRC16.xmodem(frame[0..<crcStart])
  }
}
