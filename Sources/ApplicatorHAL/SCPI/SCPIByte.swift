/// The ASCII bytes and classes the SCPI grammar needs.
enum SCPIByte {
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
  static let carriageReturn: UInt8 = 0x0D
  static let doubleQuote: UInt8 = 0x22
  static let singleQuote: UInt8 = 0x27
  static let star: UInt8 = 0x2A
  static let plus: UInt8 = 0x2B
  static let comma: UInt8 = 0x2C
  static let minus: UInt8 = 0x2D
  static let dot: UInt8 = 0x2E
  static let colon: UInt8 = 0x3A
  static let semicolon: UInt8 = 0x3B
  static let question: UInt8 = 0x3F
  static let underscore: UInt8 = 0x5F

  /// Space or horizontal tab (a CR is accepted only as the last byte of a line).
  static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }
  /// `0`…`9`.
  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
  /// `A`…`Z` or `a`…`z`.
  static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }
  /// A letter, a digit or `_`: the characters after a mnemonic's first letter.
  static func isMnemonicTail(_ byte: UInt8) -> Bool {
    isLetter(byte) || isDigit(byte) || byte == underscore
  }
  /// `e` or `E`, the exponent mark of a decimal number.
  static func isExponentMark(_ byte: UInt8) -> Bool { byte == 0x45 || byte == 0x65 }
  /// `+` or `-`.
  static func isSign(_ byte: UInt8) -> Bool { byte == plus || byte == minus }
}
