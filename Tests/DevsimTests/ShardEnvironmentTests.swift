import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// `devsim suite --shard auto`: each CI system's own variables, played on
/// one machine (three shard processes with the variables that system
/// sets), cover the plan once and carry the plan's identity.
@Suite(.tags(.safety)) struct ShardEnvironmentTests {
  private let faults = repositoryRoot.appendingPathComponent("Profiles/faults").path

  private var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim")
  }

  private func object(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Each case of a JSON report as path → verdict, trips and metrics.
  private func verdicts(_ path: String) throws -> [String: String] {
    let cases = try #require(try object(path)["cases"] as? [[String: Any]])
    var out: [String: String] = [:]
    for item in cases {
      let data = try JSONSerialization.data(
        withJSONObject: [item["passed"] ?? "", item["trips"] ?? "", item["metrics"] ?? ""],
        options: [.sortedKeys])
      out[try #require(item["path"] as? String)] = String(decoding: data, as: UTF8.self)
    }
    return out
  }

  /// Runs the built executable with `environment` only; returns its status and stderr.
  private func suite(_ arguments: [String], environment: [String: String]) throws -> (
    Int32, String
  ) {
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    let process = Process()
    process.executableURL = binary
    process.arguments = ["suite"] + arguments
    process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  /// The variables each system sets for shard `index` (0-based) of 3, and the flags it needs.
  static let systems: [(String, @Sendable (Int) -> [String: String], [String])] = [
    ("Bazel", { ["TEST_TOTAL_SHARDS": "3", "TEST_SHARD_INDEX": "\($0)"] }, []),
    ("GitLab", { ["CI_NODE_TOTAL": "3", "CI_NODE_INDEX": "\($0 + 1)"] }, ["--shard", "auto"]),
    (
      "CircleCI", { ["CIRCLE_NODE_TOTAL": "3", "CIRCLE_NODE_INDEX": "\($0)"] }, ["--shard", "auto"]
    ),
    (
      "Buildkite", { ["BUILDKITE_PARALLEL_JOB_COUNT": "3", "BUILDKITE_PARALLEL_JOB": "\($0)"] },
      ["--shard", "auto"]
    ),
    (
      "Kubernetes", { ["JOB_COMPLETION_INDEX": "\($0)"] },
      ["--shard", "auto", "--shard-count", "3"]
    ),
    ("GitHub", { _ in [:] }, []),
  ]

  @Test(arguments: 0..<systems.count)
  func threeShardsFromTheSystemsVariablesCoverThePlanOnce(_ which: Int) throws {
    let (name, variables, flags) = Self.systems[which]
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let whole = directory.appendingPathComponent("whole.json").path
    let (status, _) = try suite([faults, "--json", whole, "--quiet"], environment: [:])
    #expect(status == 0)
    let expected = try verdicts(whole)
    let plan = try #require(try object(whole)["run"] as? [String: Any])["plan"] as? [String: Any]
    let fingerprint = try #require(plan?["fingerprint"] as? String)
    var union: [String: String] = [:]
    var indices: [Int] = []
    for index in 0..<3 {
      let json = directory.appendingPathComponent("shard\(index).json").path
      let github = name == "GitHub" ? ["--shard-index", "\(index)", "--shard-count", "3"] : []
      let (code, errors) = try suite(
        [faults, "--json", json, "--quiet"] + flags + github, environment: variables(index))
      #expect(code == 0, "\(name) shard \(index): \(errors)")
      let shardPlan = try #require(
        (try object(json)["run"] as? [String: Any])?["plan"] as? [String: Any])
      #expect(shardPlan["fingerprint"] as? String == fingerprint, "\(name): the same plan")
      let shard = try #require(shardPlan["shard"] as? [String: Any])
      #expect(shard["count"] as? Int == 3)
      indices.append(try #require(shard["index"] as? Int))
      for (path, verdict) in try verdicts(json) {
        #expect(union[path] == nil, "\(name): \(path) runs in two shards")
        union[path] = verdict
      }
    }
    #expect(indices == [1, 2, 3], "\(name): each shard says which it is")
    #expect(union == expected, "\(name): the shards give the unsharded run's verdicts")
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
    #expect(try verdicts(json).count == (try SuitePlan.collect([faults])).count)
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
