/// Lines of the Arroyo/ILX text set: commands out, ending with LF; replies in, ending with
/// LF, CR or CR LF.
public enum ArroyoLine {
  /// The longest line read or written, bytes (terminator included).
  public static let maximumBytes = 256
  /// The most decimals an argument may ask for.
  public static let maximumDecimals = 6
  /// The terminator devsim writes.
  public static let terminator: UInt8 = 0x0A

  /// The bytes of `command`, terminator included.
  ///
  /// - Throws: ``ArroyoError/badHeader`` for an empty header or one with a character other
  ///   than `A`…`Z`, `0`…`9`, `:`, `*` (so no command can smuggle a terminator or a second
  ///   command); ``ArroyoError/badArgument`` for an argument that is not finite, has more
  ///   than ``maximumDecimals`` decimals, or is at or above 10^12.
  public static func encode(_ command: ArroyoCommand) throws(ArroyoError) -> [UInt8] {
    let header = Array(command.header.utf8)
    guard !header.isEmpty,
      header.allSatisfy({ isUppercaseLetter($0) || isDigit($0) || $0 == 0x3A || $0 == 0x2A })
    else { throw .badHeader }
    var bytes = header
    if command.isQuery { bytes.append(0x3F) }
    if let argument = command.argument {
      bytes.append(0x20)
      bytes += Array(try fixed(argument.value, decimals: argument.decimals).utf8)
    }
    bytes.append(terminator)
    guard bytes.count <= maximumBytes else { throw .overlong(bytes: bytes.count) }
    return bytes
  }

  /// `value` rounded to `decimals` decimals (half away from zero), trailing zeros and a
  /// trailing point dropped: 0.5 → "0.5", 25 → "25", −1.2345 with 3 → "-1.235"; −0 → "0".
  static func fixed(_ value: Double, decimals: Int) throws(ArroyoError) -> String {
    guard value.isFinite, (0...maximumDecimals).contains(decimals) else { throw .badArgument }
    var scale: UInt64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * Double(scale)).rounded(.toNearestOrAwayFromZero)
    guard scaled.magnitude < 1e12 * Double(scale) else { throw .badArgument }
    let magnitude = UInt64(scaled.magnitude)
    var text = scaled < 0 && magnitude != 0 ? "-" : ""
    text += String(magnitude / scale)
    var fraction = String(magnitude % scale)
    if decimals > 0 {
      fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
      while fraction.last == "0" { fraction.removeLast() }
      if !fraction.isEmpty { text += "." + fraction }
    }
    return text
  }

  /// The text of one reply line, its terminator removed.
  ///
  /// - Throws: ``ArroyoError/overlong(bytes:)``, ``ArroyoError/partialLine(bytes:)`` when no
  ///   LF or CR ends it, ``ArroyoError/emptyReply``, ``ArroyoError/badCharacter(index:)`` for
  ///   a control or non-ASCII byte before the terminator.
  public static func replyText(_ line: [UInt8]) throws(ArroyoError) -> ArraySlice<UInt8> {
    guard line.count <= maximumBytes else { throw .overlong(bytes: line.count) }
    var end = line.count
    if end > 0, line[end - 1] == 0x0A { end -= 1 }
    if end > 0, line[end - 1] == 0x0D { end -= 1 }
    guard end < line.count else { throw .partialLine(bytes: line.count) }
    guard end > 0 else { throw .emptyReply }
    if let index = (0..<end).first(where: { line[$0] < 0x20 || line[$0] > 0x7E }) {
      throw .badCharacter(index: index)
    }
    return line[0..<end]
  }

  /// `A`…`Z`.
  static func isUppercaseLetter(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
  /// `0`…`9`.
  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
