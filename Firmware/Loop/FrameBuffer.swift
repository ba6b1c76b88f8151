/// The bytes of one frame, in place (no heap): the largest tick frame is
/// 111 bytes (8 sensors).
struct FrameBuffer {
  static let capacity = 112
  private var bytes = InlineArray<112, UInt8>(repeating: 0)
  /// Bytes held.
  private(set) var count = 0

  /// Appends a byte; `false` when full.
  mutating func append(_ byte: UInt8) -> Bool {
    guard count < Self.capacity else { return false }
    bytes[count] = byte
    count += 1
    return true
  }

  mutating func removeAll() { count = 0 }

  /// The byte at `offset` (0 past the end).
  func byte(_ offset: Int) -> UInt8 { offset >= 0 && offset < count ? bytes[offset] : 0 }

  /// The little-endian number of `size` bytes at `offset`.
  func word(_ offset: Int, bytes size: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in 0..<size { value |= UInt64(byte(offset + index)) << UInt64(8 * index) }
    return value
  }

  /// The CRC-32 of the bytes in `range`.
  func crc(_ range: Range<Int>) -> UInt32 {
    var crc = CRC32()
    for index in range { crc.update(byte(index)) }
    return crc.value
  }
}
