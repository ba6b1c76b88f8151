/// One command or query of a program message.
///
/// The parser fills it from the text alone; a dispatcher then finds the command with
/// ``matches(_:)`` and reads its parameters with ``number(at:in:defaultValue:)``,
/// ``bool(at:)`` and ``word(at:among:)``, whose errors are the codes to queue.
///
/// ```swift
/// for command in try SCPIParser.parse(Array("sour:pow 0.5;:OUTP?".utf8)) {
///   if command.matches("SOURce:POWer?") { ... }
///   else if command.matches("SOURce:POWer") {
///     let power = try command.number(at: 0, in: -1...1, defaultValue: 0)
///   }
/// }
/// ```
public struct SCPICommand: Sendable, Equatable {
  /// The header's mnemonics as typed, uppercased, without colons; common commands keep the
  /// star: ["*IDN"].
  public var mnemonics: [String]
  /// Whether the header ended in `?`.
  public var isQuery: Bool
  /// The parameters in the order written.
  public var parameters: [SCPIParameter]

  /// Creates a command from its parts (the parser's result; also handy in tests).
  public init(mnemonics: [String], isQuery: Bool, parameters: [SCPIParameter] = []) {
    self.mnemonics = mnemonics
    self.isQuery = isQuery
    self.parameters = parameters
  }

  /// Whether the header matches a pattern written in SCPI's long form with the short form in
  /// capitals.
  ///
  /// `"SOURce:POWer:LEASe"` matches SOUR:POW:LEAS, source:power:lease, Sour:Pow:Leas (each
  /// mnemonic must be exactly the short form or exactly the long form, case-insensitive:
  /// SOUR:POWE matches nothing); a leading ":" is allowed in the typed header (and in the
  /// pattern). A pattern may end in "?" to require a query; a pattern without "?" matches
  /// both the command and its query, so test the query pattern first or check ``isQuery``.
  /// "*IDN?" style common commands match exactly (case-insensitive). Optional nodes
  /// (`[SOURce]`) and numeric suffixes beyond the literal text are not supported.
  public func matches(_ pattern: String) -> Bool {
    var body = Substring(pattern)
    if body.hasSuffix("?") {
      guard isQuery else { return false }
      body = body.dropLast()
    }
    if body.hasPrefix("*") {
      guard mnemonics.count == 1, let typed = mnemonics.first else { return false }
      return typed.utf8.count == body.utf8.count
        && zip(typed.utf8, body.utf8).allSatisfy {
          SCPIMnemonic.uppercased($0) == SCPIMnemonic.uppercased($1)
        }
    }
    if body.hasPrefix(":") { body = body.dropFirst() }
    let nodes = body.split(separator: ":", omittingEmptySubsequences: false)
    guard nodes.count == mnemonics.count else { return false }
    return zip(mnemonics, nodes).allSatisfy {
      SCPIMnemonic.matches(typed: $0.utf8, pattern: $1.utf8)
    }
  }
}
