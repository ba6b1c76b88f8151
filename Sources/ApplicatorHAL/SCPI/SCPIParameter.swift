/// One parameter as written.
///
/// The parser decides the form from the text alone; what a parameter means is up to the
/// command (see ``SCPICommand/number(at:in:defaultValue:)``, ``SCPICommand/bool(at:)`` and
/// ``SCPICommand/word(at:among:)``).
public enum SCPIParameter: Sendable, Equatable {
  /// A decimal number in any form: NR1 "12", NR2 "-1.5", NR3 "1.2E+01", "+.5", "1e3" (NRf);
  /// finite only.
  case number(Double)
  /// `MIN` or `MINimum` (case-insensitive): the lower bound of the command's range.
  case minimum
  /// `MAX` or `MAXimum` (case-insensitive): the upper bound of the command's range.
  case maximum
  /// `DEF` or `DEFault` (case-insensitive): the command's default value.
  case `default`
  /// A character parameter, uppercased: ON, OFF, POW, POWER, TEMPERATURE, NONE, OPEN, …
  case word(String)
  /// A `"quoted"` or `'quoted'` string, without its quotes (a doubled quote inside is one
  /// quote).
  case string(String)
}
