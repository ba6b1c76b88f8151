import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// Bazel's test filter (`bazel test --test_filter=TEXT` sets
/// `TESTBRIDGE_TEST_ONLY`) as `devsim suite` takes it: scenarios by path,
/// the plan cut before it is sharded, and the filter on the record.
@Suite(.tags(.safety)) struct ScenarioFilterTests {
  static let paths = [
    "Profiles/faults/cryo-plate-open.json", "Profiles/faults/laser-stuck-on.json",
    "Profiles/no-trip/cryo-setpoint-up.json",
  ]

  private func filter(_ text: String) throws -> ScenarioFilter {
    try #require(try ScenarioFilter.from([ScenarioFilter.variable: text]))
  }

  @Test func aPatternWithoutWildcardsMatchesAPathThatContainsIt() throws {
    #expect(try filter("faults/").apply(Self.paths) == Array(Self.paths.prefix(2)))
    #expect(try filter("setpoint").apply(Self.paths) == [Self.paths[2]])
    #expect(try filter("stuck, setpoint-up").apply(Self.paths) == Array(Self.paths.suffix(2)))
  }

  @Test func aPatternWithWildcardsIsAGlobOverTheWholePath() throws {
    #expect(try filter("*/cryo-*").apply(Self.paths) == [Self.paths[0], Self.paths[2]])
    // A glob matches the whole path, not a part of it.
    #expect(throws: DataError.self) { try filter("cryo-*").apply(Self.paths) }
    #expect(try filter("Profiles/*/laser-stuck-on.jso[n]").apply(Self.paths) == [Self.paths[1]])
  }

  @Test func noVariableIsNoFilterAndAnEmptyOneOrOneMatchingNothingIsRefused() throws {
    #expect(try ScenarioFilter.from([:]) == nil)
    #expect(throws: OptionValueError.self) {
      try ScenarioFilter.from([ScenarioFilter.variable: " , "])
    }
    #expect {
      try filter("heater").apply(Self.paths)
    } throws: { error in
      "\(error)".contains("TESTBRIDGE_TEST_ONLY='heater' matches none of the 3 scenarios found")
    }
  }

  /// Runs the built `devsim suite` on the shipped fault scenarios with `environment` only.
  private func suite(_ arguments: [String], _ environment: [String: String]) throws -> (
    status: Int32, output: String, errors: String
  ) {
    try runProcess(
      devsimExecutable.path,
      ["suite", repositoryRoot.appendingPathComponent("Profiles/faults").path] + arguments,
      environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a })
  }

  private func plan(_ path: String) throws -> [String: Any] {
    try #require((try jsonObject(path)["run"] as? [String: Any])?["plan"] as? [String: Any])
  }

  @Test func filteredBazelShardsMergeToTheFilteredPlanButNotIntoTheWholeOne() throws {
    try #require(FileManager.default.isExecutableFile(atPath: devsimExecutable.path))
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func bazel(_ index: Int, filter: String?) -> [String: String] {
      var variables = ["TEST_SHARD_INDEX": "\(index)", "TEST_TOTAL_SHARDS": "3"]
      variables[ScenarioFilter.variable] = filter
      return variables
    }
    var filtered: [String] = []
    var whole: [String] = []
    for index in 0..<3 {
      let cut = directory.appendingPathComponent("filtered-\(index).json").path
      let run = try suite(["--json", cut], bazel(index, filter: "cryo-plate"))
      #expect(run.status == 0, "\(run.errors)")
      if index == 0 {
        #expect(run.output.contains("TESTBRIDGE_TEST_ONLY=cryo-plate: "), "\(run.output)")
      }
      filtered.append(cut)
      let all = directory.appendingPathComponent("whole-\(index).json").path
      #expect(try suite(["--json", all, "--quiet"], bazel(index, filter: nil)).status == 0)
      whole.append(all)
    }
    let found = try SuitePlan.collect([
      repositoryRoot.appendingPathComponent("Profiles/faults").path
    ])
    let kept = found.filter { $0.contains("cryo-plate") }
    #expect(kept.count >= 3 && kept.count < found.count)
    let cutPlan = try plan(filtered[0])
    let wholePlan = try plan(whole[0])
    #expect(cutPlan["filter"] as? String == "TESTBRIDGE_TEST_ONLY=cryo-plate")
    #expect(wholePlan["filter"] is NSNull)
    #expect(cutPlan["scenarios"] as? Int == kept.count)
    #expect(cutPlan["fingerprint"] as? String == SuitePlan.fingerprint(kept))
    #expect(cutPlan["fingerprint"] as? String != wholePlan["fingerprint"] as? String)

    let merged = directory.appendingPathComponent("merged.json").path
    let merge = devsim(["suite-merge"] + filtered + ["--json", merged, "--quiet"])
    #expect(merge.code == 0, "\(merge.errors)")
    #expect(try plan(merged)["filter"] as? String == "TESTBRIDGE_TEST_ONLY=cryo-plate")
    #expect(try suiteCases(jsonObject(merged)).count == kept.count)

    // A filtered shard in place of the whole plan's shard 1 is another plan's.
    let mixed = devsim(["suite-merge", filtered[0], whole[1], whole[2], "--quiet"])
    #expect(mixed.code == 65)
    #expect(mixed.errors.contains("another plan's shards cannot be merged"))
  }
}
