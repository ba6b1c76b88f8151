/// One command of the Arroyo/ILX text set: a header such as `TEC:ITE`, a query mark, and at
/// most one numeric argument (`TEC:T?`, `TEC:ITE 0.5`, `TEC:OUT 1`, `ERRSTR?`).
public struct ArroyoCommand: Equatable, Sendable {
  /// The header, uppercase (`TEC:T`, `*IDN`, `ERRSTR`).
  public let header: String
  /// Whether the command ends with `?`.
  public let isQuery: Bool
  /// The argument, written with at most `decimals` decimals, trailing zeros dropped.
  public let argument: (value: Double, decimals: Int)?

  /// A query: `header?`.
  public static func query(_ header: String) -> ArroyoCommand {
    ArroyoCommand(header: header, isQuery: true, argument: nil)
  }

  /// A setting: `header value` (an integer when `decimals` is 0).
  public static func set(_ header: String, _ value: Double, decimals: Int) -> ArroyoCommand {
    ArroyoCommand(header: header, isQuery: false, argument: (value, decimals))
  }

  /// A command without argument: `header`.
  public static func action(_ header: String) -> ArroyoCommand {
    ArroyoCommand(header: header, isQuery: false, argument: nil)
  }

  public static func == (lhs: ArroyoCommand, rhs: ArroyoCommand) -> Bool {
    lhs.header == rhs.header && lhs.isQuery == rhs.isQuery
      && lhs.argument?.value == rhs.argument?.value
      && lhs.argument?.decimals == rhs.argument?.decimals
  }
}
