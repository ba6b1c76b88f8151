import Foundation

/// The scenarios a suite keeps when Bazel passes a test filter:
/// `bazel test --test_filter=TEXT` sets `TESTBRIDGE_TEST_ONLY=TEXT`.
///
/// `TEXT` is one or more patterns separated by commas. A scenario is kept
/// when any pattern matches its path as the plan lists it (for example
/// `Profiles/faults/cryo-plate-open.json`): a pattern holding `*`, `?` or
/// `[` is a shell glob matched against the whole path (`*` crosses `/`),
/// any other pattern matches a path that contains it. The filter cuts the
/// plan before it is sharded, so the plan's fingerprint and size are the
/// filtered plan's: a filtered run cannot be merged with the shards of
/// the whole plan.
package struct ScenarioFilter {
  /// The variable Bazel sets.
  package static let variable = "TESTBRIDGE_TEST_ONLY"

  /// The text as given.
  package var text: String
  /// Its patterns, in order.
  package var patterns: [String]

  /// The filter the environment asks for: `nil` when the variable is
  /// unset; a text without a pattern (empty, or only commas and spaces) is
  /// refused rather than read as "everything".
  package static func from(_ environment: [String: String]) throws(OptionValueError)
    -> ScenarioFilter?
  {
    guard let text = environment[variable] else { return nil }
    let patterns = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter {
      !$0.isEmpty
    }
    guard !patterns.isEmpty else {
      throw OptionValueError(
        "\(variable)='\(text)' holds no pattern (bazel test --test_filter=PATTERN[,PATTERN…])")
    }
    return ScenarioFilter(text: text, patterns: patterns)
  }

  /// Whether `path` is kept.
  package func matches(_ path: String) -> Bool {
    patterns.contains { pattern in
      if pattern.contains(where: { "*?[".contains($0) }) {
        return fnmatch(pattern, path, 0) == 0
      }
      return path.contains(pattern)
    }
  }

  /// The cases kept, in order; refused, naming the filter, when none is.
  package func apply(_ cases: [String]) throws(DataError) -> [String] {
    let kept = cases.filter(matches)
    guard !kept.isEmpty else {
      throw DataError(
        "\(Self.variable)='\(text)' matches none of the \(cases.count) scenarios found")
    }
    return kept
  }

  /// The filter as the run record names it.
  package var recorded: String { "\(Self.variable)=\(text)" }
}
