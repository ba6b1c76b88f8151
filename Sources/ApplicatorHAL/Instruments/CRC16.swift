/// The two 16-bit CRCs the instrument protocols use, computed bit by bit (frames are a few
/// dozen bytes; no table is needed).
public enum CRC16 {
  /// CRC-16/XMODEM (MeCom): polynomial 0x1021, initial value 0, no reflection, no final
  /// XOR. The check value of the ASCII bytes "123456789" is 0x31C3.
  public static func xmodem<Bytes: Sequence>(_ bytes: Bytes) -> UInt16
  where Bytes.Element == UInt8 {
    var crc: UInt16 = 0
    for byte in bytes {
      crc ^= UInt16(byte) << 8
      for _ in 0..<8 {
        crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
      }
    }
    return crc
  }

  /// CRC-16/MODBUS (Modbus RTU): polynomial 0x8005 reflected (0xA001), initial value
  /// 0xFFFF, no final XOR; sent low byte first. The check value of "123456789" is 0x4B37.
  public static func modbus<Bytes: Sequence>(_ bytes: Bytes) -> UInt16
  where Bytes.Element == UInt8 {
    var crc: UInt16 = 0xFFFF
    for byte in bytes {
      crc ^= UInt16(byte)
      for _ in 0..<8 {
        crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1
      }
    }
    return crc
  }
}
