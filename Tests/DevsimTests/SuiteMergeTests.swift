import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// `devsim suite-merge`: shards merged give the unsharded run's reports,
/// and a set of shards that is not one plan exactly once is refused.
@Suite(.tags(.safety)) struct SuiteMergeTests {
  private func profiles(_ sub: String = "") -> String {
    repositoryRoot.appendingPathComponent("Profiles" + sub).path
  }

  /// Runs shards 1…`count` of `path` into `directory`; returns the JSON reports' paths.
  private func shards(_ path: String, count: Int, into directory: URL, prefix: String = "shard")
    throws -> [String]
  {
    try (1...count).map { index in
      let report = directory.appendingPathComponent("\(prefix)-\(index).json").path
      let run = devsim(["suite", path, "--shard", "\(index)/\(count)", "--json", report, "--quiet"])
      try #require(run.code == 0, "\(run.errors)")
      return report
    }
  }

  /// The JUnit test cases without their wall time, in order.
  private func testcases(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "<testcase ").dropFirst().map { chunk in
      let body = chunk.split(separator: "</testcase>")[0]
      return String(body).replacing(/\stime="[^"]*"/, with: "")
    }
  }

  @Test func threeShardsOfTheShippedProfilesMergeToTheUnshardedRun() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let whole = directory.appendingPathComponent("whole.json").path
    let wholeJUnit = directory.appendingPathComponent("whole.xml").path
    let unsharded = devsim([
      "suite", profiles(), "--json", whole, "--junit", wholeJUnit, "--quiet",
    ])
    #expect(unsharded.code == 0, "\(unsharded.errors)")
    let reports = try shards(profiles(), count: 3, into: directory)
    let merged = directory.appendingPathComponent("merged.json").path
    let mergedJUnit = directory.appendingPathComponent("merged.xml").path
    let mergedHTML = directory.appendingPathComponent("merged.html").path
    let manifest = directory.appendingPathComponent("manifest.json").path
    let merge = devsim(
      ["suite-merge"] + reports.reversed() + [
        "--json", merged, "--junit", mergedJUnit, "--html", mergedHTML, "--manifest", manifest,
        "--fail-on-gaps",
      ])
    #expect(merge.code == 0, "\(merge.errors)")
    #expect(merge.output.contains("suite-merge: 3 shards of plan"))

    let expected = try jsonObject(whole)
    let found = try jsonObject(merged)
    for key in wholePlanReportKeys {
      #expect(
        try canonicalJSON(found[key] ?? NSNull()) == canonicalJSON(expected[key] ?? NSNull()),
        "\(key)")
    }
    #expect((expected["total"] as? Int ?? 0) >= 50)
    #expect(try suiteCases(found) == suiteCases(expected))
    // The merged record names the plan, not a shard, with the shards as inputs.
    let run = try #require(found["run"] as? [String: Any])
    let plan = try #require(run["plan"] as? [String: Any])
    let wholePlan = try #require((expected["run"] as? [String: Any])?["plan"] as? [String: Any])
    #expect(plan["fingerprint"] as? String == wholePlan["fingerprint"] as? String)
    #expect(plan["shard"] is NSNull)
    let inputs = try #require(run["inputs"] as? [[String: Any]])
    #expect(inputs.filter { $0["kind"] as? String == "shard" }.count == 3)

    #expect(try testcases(mergedJUnit) == testcases(wholeJUnit))
    let html = try String(contentsOfFile: mergedHTML, encoding: .utf8)
    #expect(html.contains("\(expected["total"] as? Int ?? -1) total"))
    // Each scenario's row has the unsharded run's dose, time in window and
    // trip readings, from the shards' JSON.
    for item in try #require(expected["cases"] as? [[String: Any]]) {
      let dose = try #require(item["dose"] as? String)
      #expect(!dose.isEmpty && html.contains(dose), "\(dose)")
      let metrics = try #require(item["metrics"] as? [String: Any])
      for (name, value) in metrics where name.hasSuffix(".timeInWindow") {
        let fraction = try #require(value as? Double)
        let percent = DecimalText.string(fraction * 100, decimals: 2)
        #expect(html.contains("\(name.dropLast(13)) \(percent) %"), "\(name) \(percent)")
      }
      // An interlock trip has no reading: its measurement is empty.
      for trip in try #require(item["trips"] as? [[String: Any]]) {
        let measurement = try #require(trip["measurement"] as? String)
        #expect(measurement.isEmpty || html.contains(measurement), "\(measurement)")
      }
    }
    // The merged plan's manifest holds the three merged reports by hash and
    // runs the whole plan again, in one process, to the same cases.
    let written = try jsonObject(manifest)
    let hashes = try #require(written["reports"] as? [[String: Any]]).map {
      ($0["kind"] as? String ?? "", $0["sha256"] as? String ?? "")
    }
    for (kind, path) in [("junit", mergedJUnit), ("json", merged), ("html", mergedHTML)] {
      let bytes = try #require(FileManager.default.contents(atPath: path))
      #expect(hashes.contains { $0 == (kind, SHA256.hex(Array(bytes))) }, "\(kind)")
    }
    let again = directory.appendingPathComponent("again.json").path
    let rerun = devsim(["suite", "--rerun", manifest, "--json", again, "--quiet"])
    #expect(rerun.code == 0, "\(rerun.errors)")
    #expect(try suiteCases(jsonObject(again)) == suiteCases(expected))
  }

  @Test func aDoubledAMissingAndAForeignShardAndASharedScenarioAreRefused() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let reports = try shards(profiles("/no-trip"), count: 3, into: directory)
    let foreign = try shards(profiles("/faults"), count: 3, into: directory, prefix: "faults")
    let out = directory.appendingPathComponent("merged.json").path

    let doubled = devsim(["suite-merge", reports[0], reports[0], reports[2], "--json", out])
    #expect(doubled.code == 65)
    #expect(doubled.errors.contains("shard 1/3 is given twice: \(reports[0]) and \(reports[0])"))

    let missing = devsim(["suite-merge", reports[0], reports[2], "--json", out])
    #expect(missing.code == 65)
    #expect(missing.errors.contains("shard 2 of 3 missing"))

    let alien = devsim(["suite-merge", reports[0], foreign[1], reports[2], "--json", out])
    #expect(alien.code == 65)
    #expect(alien.errors.contains("\(foreign[1]) is shard 2/3 of plan"))
    #expect(alien.errors.contains("another plan's shards cannot be merged"))

    // Shard 2's report with one of shard 1's scenarios added.
    var second = try jsonObject(reports[1])
    let firstCases = try #require(try jsonObject(reports[0])["cases"] as? [Any])
    let secondCases = try #require(second["cases"] as? [Any])
    second["cases"] = secondCases + [firstCases[0]]
    let shared = directory.appendingPathComponent("shared.json")
    try JSONSerialization.data(withJSONObject: second).write(to: shared)
    let twice = devsim(["suite-merge", reports[0], shared.path, reports[2], "--json", out])
    #expect(twice.code == 65)
    #expect(twice.errors.contains("appears in two shards: \(reports[0]) and \(shared.path)"))

    #expect(!FileManager.default.fileExists(atPath: out))
    // The same three in order merge.
    #expect(devsim(["suite-merge"] + reports + ["--json", out, "--quiet"]).code == 0)
    #expect(FileManager.default.fileExists(atPath: out))
  }

  @Test func fewerScenariosThanThePlanHoldsAreRefused() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let reports = try shards(profiles("/no-trip"), count: 2, into: directory)
    var first = try jsonObject(reports[0])
    let cases = try #require(first["cases"] as? [Any])
    first["cases"] = Array(cases.dropFirst())
    let short = directory.appendingPathComponent("short.json")
    try JSONSerialization.data(withJSONObject: first).write(to: short)
    let merge = devsim(["suite-merge", short.path, reports[1]])
    #expect(merge.code == 65)
    let size = shippedProfiles().filter { $0.hasPrefix("Profiles/no-trip/") }.count
    #expect(merge.errors.contains("the shards hold \(size - 1) scenarios"))
    #expect(merge.errors.contains("holds \(size)"))
  }

  @Test func theMergedTraceMatrixJudgesGaps() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The fault scenarios alone leave the window and no-false-trip requirements unverified.
    let reports = try shards(profiles("/faults"), count: 3, into: directory)
    #expect(devsim(["suite-merge"] + reports + ["--quiet"]).code == 0)
    let judged = devsim(["suite-merge"] + reports + ["--fail-on-gaps", "--quiet"])
    #expect(judged.code == 1)
    #expect(judged.output.contains("gap REQ-NO-FALSE-TRIP (requirement): no scenario verifies it"))
  }

  /// junitparser (not our code) reads the merged JUnit with the unsharded run's totals.
  @Test(
    .enabled(
      if: toolsRequired || pythonHasModule("junitparser"),
      "python3 with junitparser is not installed (pip install junitparser)"))
  func junitparserReadsTheMergedJUnit() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let whole = directory.appendingPathComponent("whole.xml").path
    #expect(devsim(["suite", profiles("/faults"), "--junit", whole, "--quiet"]).code == 0)
    let reports = try shards(profiles("/faults"), count: 3, into: directory)
    let merged = directory.appendingPathComponent("merged.xml").path
    #expect(devsim(["suite-merge"] + reports + ["--junit", merged, "--quiet"]).code == 0)
    let script = """
      import sys
      from junitparser.xunit2 import JUnitXml
      for path in sys.argv[1:]:
          xml = JUnitXml.fromfile(path)
          cases = sorted((case.classname, case.name) for suite in xml for case in suite)
          passed = sum(1 for suite in xml for case in suite if case.is_passed)
          print(len(cases), passed, ";".join(name for _, name in cases))
      """
    let output = try pythonClient(
      module: "junitparser", script: script, arguments: [whole, merged])
    let lines = output.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines.first == lines.last)
    let count = shippedProfiles().filter { $0.hasPrefix("Profiles/faults/") }.count
    #expect(count > 10)
    #expect(lines.first?.hasPrefix("\(count) \(count) ") == true)
  }
}
