/// CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF; Python's `zlib.crc32`), bit by bit: no table in RAM.
struct CRC32 {
  private(set) var remainder: UInt32 = 0xFFFF_FFFF

  /// Feeds one byte.
  mutating func update(_ byte: UInt8) {
    remainder ^= UInt32(byte)
    for _ in 0..<8 {
      remainder = (remainder >> 1) ^ (0xEDB8_8320 & (0 &- (remainder & 1)))
    }
  }

  /// The CRC of the bytes fed so far.
  var value: UInt32 { remainder ^ 0xFFFF_FFFF }
}
