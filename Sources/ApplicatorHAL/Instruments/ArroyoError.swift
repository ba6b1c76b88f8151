/// Why a line of the Arroyo/ILX text set was refused (a reply that cannot be trusted is a
/// fault), or why a command could not be written.
public enum ArroyoError: Error, Equatable, Sendable {
  /// The reply has no line terminator (LF, CR or CR LF).
  case partialLine(bytes: Int)
  /// The line is longer than ``ArroyoLine/maximumBytes``.
  case overlong(bytes: Int)
  /// The reply is empty.
  case emptyReply
  /// A control or non-ASCII byte inside the line, at that index.
  case badCharacter(index: Int)
  /// The reply is not one number (strict NRf: no unit, no whitespace, finite).
  case notANumber
  /// The reply is not `0` or `1`.
  case notAFlag
  /// The reply to an error query is not `code[,text]`.
  case malformedErrorReply
  /// A header with a character other than `A`…`Z`, `0`…`9`, `:`, `*`, or empty.
  case badHeader
  /// An argument that is not finite or too large to write with its decimals.
  case badArgument
}
