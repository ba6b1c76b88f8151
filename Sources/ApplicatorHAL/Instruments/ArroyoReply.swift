import SCPI

/// Strict readers of Arroyo/ILX replies, each from one whole line (terminator included).
public enum ArroyoReply {
  /// A numeric reply (`TEC:T?` → `25.012`): one NRf number and nothing else, finite, with the
  /// grammar of the SCPI target's parameters.
  public static func number(_ line: [UInt8]) throws(ArroyoError) -> Double {
    let text = try ArroyoLine.replyText(line)
    do {
      return try SCPIParser.number(text)
    } catch {
      throw .notANumber
    }
  }

  /// A state reply (`TEC:OUT?` → `1`): exactly `0` or `1`.
  public static func flag(_ line: [UInt8]) throws(ArroyoError) -> Bool {
    let text = try ArroyoLine.replyText(line)
    guard text.count == 1, let digit = text.first, digit == 0x30 || digit == 0x31 else {
      throw .notAFlag
    }
    return digit == 0x31
  }

  /// An error-query reply (`ERRSTR?`, or `ERR?` on ILX): an integer code, optionally a comma
  /// and text; code 0 means no error.
  public static func error(_ line: [UInt8]) throws(ArroyoError) -> (code: Int, text: String) {
    let text = try ArroyoLine.replyText(line)
    let comma = text.firstIndex(of: 0x2C) ?? text.endIndex
    let digits = text[text.startIndex..<comma]
    let unsigned = digits.first == 0x2D ? digits.dropFirst() : digits
    guard !unsigned.isEmpty, unsigned.count <= 9, unsigned.allSatisfy(ArroyoLine.isDigit),
      let code = Int(String(decoding: digits, as: UTF8.self))
    else { throw .malformedErrorReply }
    let rest = comma < text.endIndex ? text[(comma + 1)...] : []
    return (code, String(decoding: rest, as: UTF8.self))
  }
}
