extension SCPIParser {
  /// Reads `text` as one NRf number and nothing else (no whitespace, no unit), with the
  /// grammar of a parameter: `[+|-] (digits [. [digits]] | . digits) [(E|e) [+|-] digits]`,
  /// finite. For replies of instruments that speak SCPI-like text sets.
  ///
  /// - Throws: ``SCPIError/syntax`` for anything else (empty text, `inf`, `nan`, hexadecimal,
  ///   trailing bytes, a value too large for a `Double`).
  public static func number(_ text: ArraySlice<UInt8>) throws(SCPIError) -> Double {
    var scanner = SCPIScanner(Array(text))
    let value = try decimalNumber(&scanner)
    guard scanner.isAtEnd else { throw .syntax }
    return value
  }
}
