/// Fixed-width uppercase ASCII hexadecimal, as MeCom writes every number.
enum HexText {
  /// The ASCII digits `0`…`9`, `A`…`F`.
  private static let digits: [UInt8] = Array("0123456789ABCDEF".utf8)

  /// Appends the low `width` hex digits of `value`, most significant first.
  static func append(_ value: UInt32, width: Int, to bytes: inout [UInt8]) {
    var shift = (width - 1) * 4
    while shift >= 0 {
      bytes.append(digits[Int((value >> UInt32(shift)) & 0xF)])
      shift -= 4
    }
  }

  /// The value of one uppercase hex digit, or `nil` (lowercase is not what the vendor sends).
  static func value(of byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte - 0x30)
    case 0x41...0x46: UInt32(byte - 0x41 + 10)
    default: nil
    }
  }

  /// Reads `width` uppercase hex digits at `start`; `nil` if any is not one or the bytes end.
  static func read(_ bytes: [UInt8], at start: Int, width: Int) -> UInt32? {
    guard start >= 0, width <= 8, start + width <= bytes.count else { return nil }
    var value: UInt32 = 0
    for index in start..<(start + width) {
      guard let digit = HexText.value(of: bytes[index]) else { return nil }
      value = value << 4 | digit
    }
    return value
  }

  /// The index of the first byte in `range` that is not an uppercase hex digit, if any.
  static func firstNonHex(_ bytes: [UInt8], in range: Range<Int>) -> Int? {
    range.first { value(of: bytes[$0]) == nil }
  }
}
