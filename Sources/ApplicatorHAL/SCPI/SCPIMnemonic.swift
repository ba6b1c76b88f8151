/// Matching of one typed mnemonic against one SCPI long-form pattern.
///
/// A pattern such as `POWer` spells the long form (`POWER`) with the short form in capitals
/// (`POW`); a typed mnemonic matches when it is exactly one of the two, ignoring case. Any
/// other abbreviation (`POWE`) does not match: SCPI accepts only the two forms.
enum SCPIMnemonic {
  /// Whether `typed` is the short or the long form of `pattern`, ignoring case.
  ///
  /// The short form is made of the pattern's characters that are not lowercase letters
  /// (`SOURce2` → `SOUR2`); the long form is the whole pattern uppercased. An empty pattern
  /// matches nothing.
  static func matches(typed: some Collection<UInt8>, pattern: some Collection<UInt8>) -> Bool {
    if pattern.isEmpty { return false }
    return matchesForm(typed: typed, pattern: pattern, shortForm: false)
      || matchesForm(typed: typed, pattern: pattern, shortForm: true)
  }

  /// Compares `typed` with the long form, or with the short form (the pattern's non-lowercase
  /// characters), without building either.
  private static func matchesForm(
    typed: some Collection<UInt8>, pattern: some Collection<UInt8>, shortForm: Bool
  ) -> Bool {
    var typedBytes = typed.makeIterator()
    for byte in pattern {
      if shortForm && isLowercaseLetter(byte) { continue }
      guard let typedByte = typedBytes.next(), uppercased(typedByte) == uppercased(byte) else {
        return false
      }
    }
    return typedBytes.next() == nil
  }

  /// Whether an ASCII byte is `a`…`z`.
  static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }

  /// The byte with ASCII `a`…`z` turned into `A`…`Z`; any other byte unchanged.
  static func uppercased(_ byte: UInt8) -> UInt8 { isLowercaseLetter(byte) ? byte - 0x20 : byte }
}
