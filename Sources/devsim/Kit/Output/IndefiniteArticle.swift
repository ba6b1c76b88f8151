/// "a" or "an" before a word in a message: `an actuator-fault trip`,
/// `a hard-low trip`.
package enum IndefiniteArticle {
  /// `word` with "an" before it when it starts with a vowel letter, else "a".
  /// Check names and fault kinds start with their sound's letter (no silent
  /// h, no "u" read as "you"), so the letter decides.
  package static func before(_ word: String) -> String {
    let vowel = word.first.map { "aeiouAEIOU".contains($0) } ?? false
    return (vowel ? "an " : "a ") + word
  }
}
