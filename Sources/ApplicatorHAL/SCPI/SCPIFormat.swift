/// Formatting of the rig's replies: numbers in NR3, quoted strings, joined query replies.
public enum SCPIFormat {
  /// SCPI's "not a number" (9.91E37), the reply for a NaN or an infinite value.
  public static let notANumber = "9.91E37"

  /// NR3 with four decimals: 12.345 -> "1.2345E+01", -0.5 -> "-5.0000E-01", 0 ->
  /// "0.0000E+00"; NaN or infinite -> "9.91E37" (SCPI's NaN).
  ///
  /// The exponent has at least two digits (`1.5000E-100`, `5.0000E-324`). Rounding is half
  /// away from zero on the shortest decimal spelling of the value (the one Swift prints), so
  /// 9.99995 gives "1.0000E+01" as written, whatever its binary neighbour; −0 prints as 0.
  /// Parsing the result gives the value back to 5 significant digits; within 0.003 % of the
  /// largest `Double` the digits are cut rather than rounded up, so the text stays readable
  /// as a finite number (1.7976E+308).
  public static func nr3(_ value: Double) -> String {
    guard value.isFinite else { return notANumber }
    guard value != 0, let decimal = SCPIDecimal(value.magnitude.description) else {
      return "0.0000E+00"
    }
    let text = scientific(decimal.rounded(toSignificantDigits: 5), negative: value < 0)
    // Just below the largest Double, rounding up would spell a number too large to read
    // back (1.7977E+308): cut the digits instead, which still keeps 5 significant digits.
    if Double(text)?.isFinite == true { return text }
    return scientific(
      decimal.rounded(toSignificantDigits: 5, towardZero: true), negative: value < 0)
  }

  /// `d.dddd` then `E`, the exponent's sign and at least two exponent digits.
  private static func scientific(_ decimal: SCPIDecimal, negative: Bool) -> String {
    var text = negative ? "-" : ""
    for (index, digit) in decimal.digits.enumerated() {
      text.unicodeScalars.append(Unicode.Scalar(0x30 + digit))
      if index == 0 { text += "." }
    }
    text += decimal.exponent < 0 ? "E-" : "E+"
    let magnitude = String(decimal.exponent.magnitude)
    text += magnitude.count < 2 ? "0" + magnitude : magnitude
    return text
  }

  /// A quoted string with inner quotes doubled: `say "hi"` -> `"say ""hi"""`.
  public static func quoted(_ text: String) -> String {
    // Scalar by scalar: a quote followed by a combining mark is one
    // `Character` that is not equal to "\"", yet the parser reads bytes
    // and would end the string at it (found by the fuzzer).
    var result = String.UnicodeScalarView()
    result.append("\"")
    for scalar in text.unicodeScalars {
      result.append(scalar)
      if scalar == "\"" { result.append(scalar) }
    }
    result.append("\"")
    return String(result)
  }

  /// Joins the replies of the queries of one line with ";".
  public static func joinReplies(_ replies: [String]) -> String {
    replies.joined(separator: ";")
  }
}
