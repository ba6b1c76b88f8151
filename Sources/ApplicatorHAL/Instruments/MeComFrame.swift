/// The MeCom frame layout, shared by requests and replies:
///
/// ```
/// start   '#' from the host, '!' from the device
/// address 2 hex digits (0…255; the device's address, the reply carries the request's)
/// seq     4 hex digits, chosen by the host, echoed by the reply
/// payload command or reply text (see MeComCommand, MeComReply)
/// crc     4 hex digits: CRC-16/XMODEM of every byte from the start character to the
///         end of the payload
/// end     carriage return (0x0D)
/// ```
///
/// Every hex digit is uppercase ASCII. An acknowledge (the reply to `VS`) has no payload and
/// carries, in place of its own CRC, the CRC of the request it acknowledges.
public enum MeComFrame {
  /// The start character of a host request.
  public static let requestStart: UInt8 = 0x23  // '#'
  /// The start character of a device reply.
  public static let replyStart: UInt8 = 0x21  // '!'
  /// The end of every frame.
  public static let end: UInt8 = 0x0D
  /// The longest frame a reader buffers before it gives the frame up as overlong, bytes.
  /// The longest frame this codec builds or reads, a `VS` request, is 28 bytes.
  public static let maximumBytes = 64
  /// Start, address and sequence: the bytes before the payload.
  static let headerBytes = 7
  /// CRC and end: the bytes after the payload.
  static let trailerBytes = 5

  /// A complete frame: start, address, sequence, payload, CRC over all of those, end.
  public static func build(
    start: UInt8, address: UInt8, sequence: UInt16, payload: [UInt8]
  ) -> [UInt8] {
    var bytes = [start]
    HexText.append(UInt32(address), width: 2, to: &bytes)
    HexText.append(UInt32(sequence), width: 4, to: &bytes)
    bytes += payload
    HexText.append(UInt32(CRC16.xmodem(bytes)), width: 4, to: &bytes)
    bytes.append(end)
    return bytes
  }

  /// An acknowledge frame: start, address, sequence, the acknowledged request's CRC, end.
  public static func acknowledge(address: UInt8, sequence: UInt16, requestCRC: UInt16) -> [UInt8] {
    var bytes = [replyStart]
    HexText.append(UInt32(address), width: 2, to: &bytes)
    HexText.append(UInt32(sequence), width: 4, to: &bytes)
    HexText.append(UInt32(requestCRC), width: 4, to: &bytes)
    bytes.append(end)
    return bytes
  }
}
