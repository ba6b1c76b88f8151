import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// `devsim suite --shard auto`: what it does with variables it cannot use.
/// Each CI system's own variables, played as three shard processes and
/// merged, are tested with the docs/ci examples (CIShardExamplesTests).
@Suite(.tags(.safety)) struct ShardEnvironmentTests {
  private let faults = repositoryRoot.appendingPathComponent("Profiles/faults").path

  /// Runs the built executable's `suite` with `environment` only; returns its status and stderr.
  private func suite(_ arguments: [String], environment: [String: String]) throws -> (
    Int32, String
  ) {
    try #require(FileManager.default.isExecutableFile(atPath: devsimExecutable.path))
    let run = try runProcess(
      devsimExecutable.path, ["suite"] + arguments,
      environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a })
    return (run.status, run.errors)
  }

  @Test func anotherCIsVariablesWithoutShardAutoAreReportedAndIgnored() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = directory.appendingPathComponent("all.json").path
    let (status, errors) = try suite(
      [faults, "--json", json, "--quiet"],
      environment: ["CI_NODE_TOTAL": "3", "CI_NODE_INDEX": "2"])
    #expect(status == 0)
    #expect(errors.contains("note: GitLab CI's CI_NODE_INDEX is set and ignored"))
    #expect(try suiteCases(jsonObject(json)).count == (try SuitePlan.collect([faults])).count)
  }

  @Test(arguments: [
    ([String: String](), [String](), "none of the sharding variables is set"),
    (["JOB_COMPLETION_INDEX": "1"], [], "no total; give --shard-count N"),
    (
      [
        "CI_NODE_TOTAL": "3", "CI_NODE_INDEX": "1", "CIRCLE_NODE_TOTAL": "3",
        "CIRCLE_NODE_INDEX": "0",
      ],
      [], "GitLab CI and CircleCI are all set"
    ),
    (["CI_NODE_TOTAL": "3", "CI_NODE_INDEX": "0"], [], "CI_NODE_INDEX=0 and CI_NODE_TOTAL=3"),
  ])
  func aShardAutoThatCannotBeReadIsAUsageError(
    environment: [String: String], extra: [String], message: String
  ) throws {
    let (status, errors) = try suite(
      [faults, "--shard", "auto", "--quiet"] + extra, environment: environment)
    #expect(status == 64)
    #expect(errors.contains(message), "\(errors)")
  }

  @Test func theGitHubPairIsCheckedAsAUsageError() {
    #expect(devsim(["suite", faults, "--shard-index", "3", "--shard-count", "3"]).code == 64)
    #expect(devsim(["suite", faults, "--shard-index", "0"]).code == 64)
    #expect(
      devsim(["suite", faults, "--shard", "1/3", "--shard-index", "0", "--shard-count", "3"]).code
        == 64)
  }
}
