/// How a scenario is classified in the testcase properties that Eclipse
/// S-CORE's tooling reads from JUnit next to `FullyVerifies` and
/// `PartiallyVerifies`: `TestType` and `DerivationTechnique`, each one of
/// a closed list of values.
///
/// Both follow from what the scenario is, so a merge (which reads the
/// shards' JSON) classifies a scenario as the unsharded run does.
package enum TestClassification {
  /// The `TestType` values S-CORE accepts.
  package static let testTypes = [
    "fault-injection", "interface-test", "requirements-based", "resource-usage",
  ]
  /// The `DerivationTechnique` values S-CORE accepts.
  package static let derivationTechniques = [
    "requirements-analysis", "design-analysis", "boundary-values", "equivalence-classes",
    "fuzz-testing", "error-guessing", "explorative-testing",
  ]

  /// `fault-injection` for a scenario that must trip a check (it injects
  /// the fault that check exists for), `requirements-based` for any other.
  package static func testType(_ result: SuiteCaseResult) -> String {
    result.expectedChecks.isEmpty ? "requirements-based" : "fault-injection"
  }

  /// `requirements-analysis`: every traced scenario is written from the
  /// catalogue entries it lists in `verifies` (a risk control's check, a
  /// requirement's condition).
  package static let derivationTechnique = "requirements-analysis"
}
