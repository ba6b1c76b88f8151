import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit
@testable import devsim

/// Campaigns in shards: each shard runs a range of the plan's runs with the
/// schedules one process draws for them, and `devsim campaign-merge` gives
/// one process's figures, or refuses a set of shards that is not the plan
/// exactly once.
@Suite(.tags(.safety)) struct CampaignShardTests {
  private func profile(_ name: String = "laser-lipolysis-25min") -> String {
    repositoryRoot.appendingPathComponent("Profiles/\(name).json").path
  }

  /// The text without its timing line (`campaign took …`).
  private func figures(_ output: String) -> String {
    output.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.hasPrefix("campaign took ") }.joined(separator: "\n")
  }

  private func object(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  private func canonical(_ value: Any) throws -> String {
    String(
      decoding: try JSONSerialization.data(
        withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
  }

  @Test func theShardsOfAPlanTileItsRunsOnce() {
    for runs in 1...23 {
      let plan = CampaignPlan(profilePath: "p", profileSHA256: "x", seed: 1, runs: runs)
      #expect(plan.runs(of: nil) == 0..<runs)
      for count in 1...9 {
        let ranges = (0..<count).map { plan.runs(of: SuitePlan.Shard(index: $0, count: count)) }
        #expect(ranges.flatMap { Array($0) } == Array(0..<runs), "\(runs) runs, \(count) shards")
        let lengths = ranges.map(\.count)
        #expect((lengths.max() ?? 0) - (lengths.min() ?? 0) <= 1)
      }
    }
    let plan = CampaignPlan(profilePath: "p", profileSHA256: "x", seed: 1, runs: 10)
    #expect(plan.runs(of: SuitePlan.Shard(index: 1, count: 4)) == 2..<5)
    // The fingerprint names the profile's bytes, the seed and the count, not the path.
    var other = plan
    other.profilePath = "elsewhere/p"
    #expect(other.fingerprint == plan.fingerprint)
    for changed in [
      CampaignPlan(profilePath: "p", profileSHA256: "y", seed: 1, runs: 10),
      CampaignPlan(profilePath: "p", profileSHA256: "x", seed: 2, runs: 10),
      CampaignPlan(profilePath: "p", profileSHA256: "x", seed: 1, runs: 11),
    ] {
      #expect(changed.fingerprint != plan.fingerprint)
    }
  }

  @Test func fourShardsMergeToTheFiguresOfOneProcess() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = profile()
    let wholeReport = directory.appendingPathComponent("whole.json").path
    let whole = devsim(["campaign", path, "--runs", "14", "--seed", "5", "--json", wholeReport])
    #expect(whole.code == 0, "\(whole.errors)")
    #expect(whole.output.hasPrefix("campaign: 14 runs of \(path), seed 5\n"))
    let shardOptions = [
      ["--shard", "1/4"], ["--shard-index", "1", "--shard-count", "4"], ["--shard", "3/4"],
      ["--shard", "4/4"],
    ]
    var reports: [String] = []
    for (index, options) in shardOptions.enumerated() {
      let report = directory.appendingPathComponent("shard-\(index + 1).json").path
      let run = devsim(
        ["campaign", path, "--runs", "14", "--seed", "5", "--json", report] + options)
      #expect(run.code == 0, "\(run.errors)")
      reports.append(report)
    }
    // Shard 2 of 4 of 14 runs: runs 3 … 6.
    let second = try object(reports[1])
    let shard = try #require(second["shard"] as? [String: Any])
    #expect(shard["index"] as? Int == 2 && shard["count"] as? Int == 4)
    #expect(shard["firstRun"] as? Int == 3 && shard["endRun"] as? Int == 7)
    let mergedReport = directory.appendingPathComponent("merged.json").path
    let merge = devsim(["campaign-merge"] + reports.reversed() + ["--json", mergedReport])
    #expect(merge.code == 0, "\(merge.errors)")
    #expect(figures(merge.output) == figures(whole.output))
    #expect(merge.output.contains("the longest of 4 shards of plan "))
    // The reports agree run by run: schedules, first trips, reaction times.
    let expected = try object(wholeReport)
    let found = try object(mergedReport)
    for key in ["plan", "results", "failures", "coverage", "reactionSeconds", "passed", "failed"] {
      #expect(
        try canonical(found[key] ?? NSNull()) == canonical(expected[key] ?? NSNull()), "\(key)")
    }
    #expect((expected["results"] as? [Any])?.count == 14)
    #expect(found["shard"] is NSNull)
    let inputs = try #require((found["run"] as? [String: Any])?["inputs"] as? [[String: Any]])
    #expect(inputs.filter { $0["kind"] as? String == "shard" }.count == 4)
    // A merged report merges again as shard 1 of 1.
    let again = devsim(["campaign-merge", mergedReport])
    #expect(again.code == 0)
    #expect(figures(again.output) == figures(whole.output))
  }

  /// Shards of a campaign against a broken check: the failures, their
  /// shrunk schedules and their invariants merge to one process's.
  @Test func failuresMergeWithTheirShrunkSchedules() throws {
    let loaded = try loadShipped("Profiles/cryolipolysis-35min.json")
    let broken: @Sendable (inout SafetyConfiguration) -> Void = {
      $0.staleTripNanoseconds = 3_600_000_000_000
    }
    let plan = CampaignPlan(
      profilePath: loaded.path, profileSHA256: loaded.sha256, seed: 3, runs: 12)
    let whole = CampaignOutcome.run(
      loaded.profile, plan: plan, range: plan.runs(of: nil), jobs: 2, adjust: broken)
    #expect(!whole.failures.isEmpty)
    #expect(whole.failures.allSatisfy { $0.shrunk != nil && !$0.violations.isEmpty })
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let record = RunRecord.begin(arguments: ["test"], environment: [:])
    var reports: [CampaignReport] = []
    for index in 0..<4 {
      let shard = SuitePlan.Shard(index: index, count: 4)
      let outcome = CampaignOutcome.run(
        loaded.profile, plan: plan, range: plan.runs(of: shard), jobs: 1, adjust: broken)
      let path = directory.appendingPathComponent("shard-\(index).json").path
      let text = CampaignReport.json(
        outcome, shard: shard, shardSource: "--shard", wallSeconds: 1, record: record)
      try AtomicFile.write(Array(text.utf8), to: path)
      reports.append(try CampaignReport.load(path))
    }
    let merged = try CampaignMerge(reports.shuffled()).outcome
    #expect(merged.results == whole.results)
    #expect(merged.failures.prefix(5) == whole.failures.prefix(5))
    #expect(merged.failures.map(\.run) == whole.failures.map(\.run))
    #expect(merged.body() == whole.body())
    #expect(merged.body().contains("FAIL run \(whole.failures[0].run): "))
    #expect(merged.body().contains("  replay: devsim campaign \(loaded.path) --schedule '"))
  }

  @Test func aDoubledAMissingAForeignAndASuiteReportAreRefused() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = profile()
    func shard(_ index: Int, seed: Int = 9, prefix: String = "shard") -> String {
      let report = directory.appendingPathComponent("\(prefix)-\(index).json").path
      let run = devsim([
        "campaign", path, "--runs", "6", "--seed", "\(seed)", "--shard", "\(index)/3",
        "--json", report,
      ])
      #expect(run.code == 0, "\(run.errors)")
      return report
    }
    let reports = (1...3).map { shard($0) }
    let foreign = shard(2, seed: 10, prefix: "foreign")
    let out = directory.appendingPathComponent("merged.json").path

    let doubled = devsim(["campaign-merge", reports[0], reports[0], reports[2], "--json", out])
    #expect(doubled.code == 65)
    #expect(doubled.errors.contains("shard 1/3 is given twice: \(reports[0]) and \(reports[0])"))

    let missing = devsim(["campaign-merge", reports[0], reports[2], "--json", out])
    #expect(missing.code == 65)
    #expect(missing.errors.contains("shard 2 (runs 2 … 3) of 3 missing"))

    let alien = devsim(["campaign-merge", reports[0], foreign, reports[2], "--json", out])
    #expect(alien.code == 65)
    #expect(alien.errors.contains("\(foreign) is shard 2/3 of campaign plan"))
    #expect(alien.errors.contains("seed 10"))
    #expect(alien.errors.contains("another plan's shards cannot be merged"))

    let suiteReport = directory.appendingPathComponent("suite.json").path
    let suite = devsim([
      "suite", repositoryRoot.appendingPathComponent("Profiles/open-loop").path, "--json",
      suiteReport, "--quiet",
    ])
    #expect(suite.code == 0)
    let notCampaign = devsim(["campaign-merge", suiteReport])
    #expect(notCampaign.code == 65)
    #expect(notCampaign.errors.contains("not a campaign report"))

    // A shard whose runs were edited away is refused, naming the file.
    var edited = try object(reports[1])
    edited["results"] = Array((edited["results"] as? [Any] ?? []).dropFirst())
    let short = directory.appendingPathComponent("short.json")
    try JSONSerialization.data(withJSONObject: edited).write(to: short)
    let cut = devsim(["campaign-merge", reports[0], short.path, reports[2]])
    #expect(cut.code == 65)
    #expect(cut.errors.contains(short.path) && cut.errors.contains("holds runs 2 … 3"))

    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(devsim(["campaign-merge"] + reports + ["--json", out]).code == 0)
    #expect(FileManager.default.fileExists(atPath: out))
  }

  /// Runs the built executable's `campaign` with `environment` only; returns its status and stderr.
  private func campaign(_ arguments: [String], environment: [String: String]) throws -> (
    Int32, String
  ) {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    let process = Process()
    process.executableURL = binary
    process.arguments = ["campaign"] + arguments
    process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  /// Bazel's variables shard a campaign without a flag (the report among
  /// the undeclared outputs, the status file touched), GitLab's with
  /// `--shard auto` (its index counts from 1); the shards merge to one process.
  @Test func aCIsVariablesShardACampaign() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let plan = ["--runs", "6", "--seed", "9"]
    var reports: [String] = []
    for index in [0, 2] {
      let outputs = directory.appendingPathComponent("bazel-\(index)")
      try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
      let status = directory.appendingPathComponent("status-\(index)").path
      let (code, errors) = try campaign(
        [profile()] + plan,
        environment: [
          "TEST_TOTAL_SHARDS": "3", "TEST_SHARD_INDEX": "\(index)",
          "TEST_UNDECLARED_OUTPUTS_DIR": outputs.path, "TEST_SHARD_STATUS_FILE": status,
        ])
      #expect(code == 0, "\(errors)")
      #expect(FileManager.default.fileExists(atPath: status))
      let report = outputs.appendingPathComponent("campaign.json").path
      let shard = try #require(try object(report)["shard"] as? [String: Any])
      #expect(shard["index"] as? Int == index + 1 && shard["count"] as? Int == 3)
      #expect((shard["source"] as? String)?.hasPrefix("Bazel TEST_SHARD_INDEX=") == true)
      reports.append(report)
    }
    let gitlab = directory.appendingPathComponent("gitlab-2.json").path
    let (code, errors) = try campaign(
      [profile()] + plan + ["--shard", "auto", "--json", gitlab],
      environment: ["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "3"])
    #expect(code == 0, "\(errors)")
    let shard = try #require(try object(gitlab)["shard"] as? [String: Any])
    #expect(shard["index"] as? Int == 2 && shard["firstRun"] as? Int == 2)
    let merge = devsim(["campaign-merge", reports[0], gitlab, reports[1]])
    #expect(merge.code == 0, "\(merge.errors)")
    let whole = devsim(["campaign", profile()] + plan)
    #expect(figures(merge.output) == figures(whole.output))
  }

  @Test func aReplayTakesNoShardOrReport() {
    let path = profile()
    let replay = devsim(["campaign", path, "--schedule", "open:fat-10mm@600.0", "--shard", "1/2"])
    #expect(replay.code == 64)
    #expect(replay.errors.contains("--shard belongs to a campaign of --runs"))
  }
}
