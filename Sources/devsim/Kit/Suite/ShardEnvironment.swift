/// The shard a CI system asks for through its environment, for
/// `devsim suite --shard auto`.
///
/// | system | index | total |
/// |---|---|---|
/// | Bazel | `TEST_SHARD_INDEX` (from 0) | `TEST_TOTAL_SHARDS` |
/// | GitLab CI (`parallel:`) | `CI_NODE_INDEX` (from 1) | `CI_NODE_TOTAL` |
/// | CircleCI (`parallelism:`) | `CIRCLE_NODE_INDEX` (from 0) | `CIRCLE_NODE_TOTAL` |
/// | Buildkite (`parallelism:`) | `BUILDKITE_PARALLEL_JOB` (from 0) | `BUILDKITE_PARALLEL_JOB_COUNT` |
/// | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` (from 0) | `--shard-count` or `DEVSIM_SHARD_COUNT` |
///
/// GitHub Actions sets no such variable: its matrix passes
/// `--shard-index`/`--shard-count` (from 0).
package enum ShardEnvironment {
  /// One system's pair of variables.
  package struct System {
    package var name: String
    package var index: String
    package var total: String?
    /// The value of the first shard's index: 0 or 1.
    package var base: Int
  }

  /// The systems, Bazel first.
  package static let systems: [System] = [
    System(name: "Bazel", index: "TEST_SHARD_INDEX", total: "TEST_TOTAL_SHARDS", base: 0),
    System(name: "GitLab CI", index: "CI_NODE_INDEX", total: "CI_NODE_TOTAL", base: 1),
    System(name: "CircleCI", index: "CIRCLE_NODE_INDEX", total: "CIRCLE_NODE_TOTAL", base: 0),
    System(
      name: "Buildkite", index: "BUILDKITE_PARALLEL_JOB", total: "BUILDKITE_PARALLEL_JOB_COUNT",
      base: 0),
    System(name: "Kubernetes Indexed Job", index: "JOB_COMPLETION_INDEX", total: nil, base: 0),
  ]

  /// The systems whose index variable is set.
  package static func present(_ environment: [String: String]) -> [System] {
    systems.filter { environment[$0.index] != nil }
  }

  /// The shard the environment asks for, and where it was read (`nil`: no
  /// system's variables are set). Two systems at once, a count that is not
  /// a positive integer or an index outside it are refused.
  package static func shard(_ environment: [String: String], count override: Int?)
    throws(OptionValueError) -> (shard: SuitePlan.Shard, source: String)?
  {
    let found = present(environment)
    guard let system = found.first else { return nil }
    guard found.count == 1 else {
      throw OptionValueError(
        "--shard auto: the variables of \(found.map(\.name).joined(separator: " and ")) are all set; "
          + "give the shard with --shard i/n")
    }
    let indexText = environment[system.index] ?? ""
    let totalText: String
    let totalName: String
    if let name = system.total {
      totalName = name
      guard let text = environment[name] else {
        throw OptionValueError("--shard auto: \(system.index) is set without \(name)")
      }
      totalText = text
    } else if let override {
      totalName = "--shard-count"
      totalText = String(override)
    } else if let text = environment["DEVSIM_SHARD_COUNT"] {
      totalName = "DEVSIM_SHARD_COUNT"
      totalText = text
    } else {
      throw OptionValueError(
        "--shard auto: \(system.name) gives \(system.index) but no total; "
          + "give --shard-count N or DEVSIM_SHARD_COUNT (the job's completions)")
    }
    guard let total = Int(totalText), total >= 1, let index = Int(indexText),
      index >= system.base, index < total + system.base
    else {
      throw OptionValueError(
        "--shard auto: \(system.name)'s \(system.index)=\(indexText) and \(totalName)=\(totalText) "
          + "are not an index from \(system.base) of a positive total")
    }
    return (
      SuitePlan.Shard(index: index - system.base, count: total),
      "\(system.name) \(system.index)=\(indexText) \(totalName)=\(totalText)"
    )
  }
}
