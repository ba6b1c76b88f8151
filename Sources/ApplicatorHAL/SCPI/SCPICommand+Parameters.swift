extension SCPICommand {
  /// The parameter at `index` as a number in `range`; MIN/MAX/DEF map to range bounds /
  /// `defaultValue`.
  ///
  /// - Throws: ``SCPIError/missingParameter`` when absent, ``SCPIError/dataOutOfRange`` when
  ///   outside `range`, ``SCPIError/illegalParameterValue`` for a non-number (a word or a
  ///   string). `defaultValue` is returned as given, even outside `range`.
  public func number(at index: Int, in range: ClosedRange<Double>, defaultValue: Double)
    throws(SCPIError) -> Double
  {
    switch try parameter(at: index) {
    case .number(let value):
      guard range.contains(value) else { throw .dataOutOfRange }
      return value
    case .minimum: return range.lowerBound
    case .maximum: return range.upperBound
    case .default: return defaultValue
    case .word, .string: throw .illegalParameterValue
    }
  }

  /// ON/OFF/1/0 at `index`.
  ///
  /// - Throws: ``SCPIError/missingParameter`` when absent, ``SCPIError/illegalParameterValue``
  ///   for anything else (other numbers, other words, strings, MIN/MAX/DEF).
  public func bool(at index: Int) throws(SCPIError) -> Bool {
    switch try parameter(at: index) {
    case .word("ON"): return true
    case .word("OFF"): return false
    case .number(let value) where value == 1: return true
    case .number(let value) where value == 0: return false
    default: throw .illegalParameterValue
    }
  }

  /// A character parameter at `index` matched against long-form patterns (e.g. ["POWer",
  /// "TEMPerature"]); returns the matched pattern's index.
  ///
  /// Each pattern accepts its short and its long form, case-insensitive (`POW`, `POWER`);
  /// the first match wins. `MIN`/`MAX`/`DEF` and their long forms are tried as words too.
  ///
  /// - Throws: ``SCPIError/missingParameter`` when absent, ``SCPIError/illegalParameterValue``
  ///   for a number, a string or a word that matches no pattern.
  public func word(at index: Int, among patterns: [String]) throws(SCPIError) -> Int {
    let spellings: [String]
    switch try parameter(at: index) {
    case .word(let word): spellings = [word]
    case .minimum: spellings = ["MIN", "MINIMUM"]
    case .maximum: spellings = ["MAX", "MAXIMUM"]
    case .default: spellings = ["DEF", "DEFAULT"]
    case .number, .string: throw .illegalParameterValue
    }
    for (patternIndex, pattern) in patterns.enumerated() {
      for spelling in spellings
      where SCPIMnemonic.matches(typed: spelling.utf8, pattern: pattern.utf8) {
        return patternIndex
      }
    }
    throw .illegalParameterValue
  }

  /// The parameter at `index`, or ``SCPIError/missingParameter`` when there is none.
  private func parameter(at index: Int) throws(SCPIError) -> SCPIParameter {
    guard parameters.indices.contains(index) else { throw .missingParameter }
    return parameters[index]
  }
}
