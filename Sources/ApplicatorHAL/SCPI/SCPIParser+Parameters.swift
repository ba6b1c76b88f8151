extension SCPIParser {
  /// One parameter, its form chosen by its first byte: a quote, a number, or a letter.
  static func parameter(_ scanner: inout SCPIScanner) throws(SCPIError) -> SCPIParameter {
    guard let first = scanner.current else { throw .syntax }
    if first == SCPIByte.doubleQuote || first == SCPIByte.singleQuote {
      return .string(try quotedString(&scanner))
    }
    if SCPIByte.isDigit(first) || SCPIByte.isSign(first) || first == SCPIByte.dot {
      return .number(try decimalNumber(&scanner))
    }
    if SCPIByte.isLetter(first) {
      return characterParameter(&scanner)
    }
    throw .syntax
  }

  /// NRf: `[+|-] (digits [. [digits]] | . digits) [(E|e) [+|-] digits]`, finite.
  ///
  /// The text is checked against this grammar first, so `Double`'s own extensions (`inf`,
  /// `nan`, hexadecimal) never get through; a value too large for a `Double` is −102.
  static func decimalNumber(_ scanner: inout SCPIScanner) throws(SCPIError) -> Double {
    let start = scanner.position
    if let sign = scanner.current, SCPIByte.isSign(sign) { scanner.advance() }
    var mantissaDigits = scanner.consume(while: SCPIByte.isDigit)
    if scanner.consume(SCPIByte.dot) {
      mantissaDigits += scanner.consume(while: SCPIByte.isDigit)
    }
    guard mantissaDigits > 0 else { throw .syntax }
    if let mark = scanner.current, SCPIByte.isExponentMark(mark) {
      scanner.advance()
      if let sign = scanner.current, SCPIByte.isSign(sign) { scanner.advance() }
      guard scanner.consume(while: SCPIByte.isDigit) > 0 else { throw .syntax }
    }
    guard let value = Double(scanner.text(from: start)), value.isFinite else { throw .syntax }
    return value
  }

  /// A quoted string, `"…"` or `'…'`; the opening quote doubled inside stands for itself.
  static func quotedString(_ scanner: inout SCPIScanner) throws(SCPIError) -> String {
    guard let quote = scanner.current else { throw .syntax }
    scanner.advance()
    var content: [UInt8] = []
    while true {
      guard let byte = scanner.current else { throw .syntax }
      scanner.advance()
      if byte == quote {
        guard scanner.consume(quote) else { break }
      }
      content.append(byte)
    }
    return String(decoding: content, as: UTF8.self)
  }

  /// A character parameter (a mnemonic), with MIN/MAX/DEF and their long forms recognised.
  static func characterParameter(_ scanner: inout SCPIScanner) -> SCPIParameter {
    let start = scanner.position
    scanner.consume(while: SCPIByte.isMnemonicTail)
    let word = uppercasedText(scanner.bytes[start..<scanner.position])
    switch word {
    case "MIN", "MINIMUM": return .minimum
    case "MAX", "MAXIMUM": return .maximum
    case "DEF", "DEFAULT": return .default
    default: return .word(word)
    }
  }
}
