import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit
@testable import devsim

/// `devsim suite`: sharding, reports a real JUnit consumer reads, reaction bounds.
@Suite(.tags(.safety)) struct SuiteTests {
  private let faults = repositoryRoot.appendingPathComponent("Profiles/faults").path

  private func cases(in json: String) throws -> [String] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let list = try #require(object?["cases"] as? [[String: Any]])
    return list.compactMap { $0["path"] as? String }
  }

  @Test func theShardsTogetherRunEveryCaseExactlyOnce() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let whole = directory.appendingPathComponent("all.json").path
    #expect(devsim(["suite", faults, "--json", whole, "--quiet"]).code == 0)
    let all = try cases(in: String(contentsOfFile: whole, encoding: .utf8))
    var union: [String] = []
    for shard in 1...3 {
      let file = directory.appendingPathComponent("shard\(shard).json").path
      let result = devsim(["suite", faults, "--shard", "\(shard)/3", "--json", file, "--quiet"])
      #expect(result.code == 0)
      union += try cases(in: String(contentsOfFile: file, encoding: .utf8))
    }
    #expect(all.count >= 40)
    #expect(union.sorted() == all.sorted())
    #expect(Set(union).count == union.count, "no case runs twice")
  }

  @Test func bazelShardingVariablesAreHonoured() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var union: [String] = []
    for index in 0..<2 {
      let json = directory.appendingPathComponent("bazel\(index).json").path
      let status = directory.appendingPathComponent("status\(index)").path
      let process = Process()
      process.executableURL = binary
      process.arguments = ["suite", faults, "--json", json, "--quiet"]
      process.environment = [
        "TEST_TOTAL_SHARDS": "2", "TEST_SHARD_INDEX": "\(index)", "TEST_SHARD_STATUS_FILE": status,
      ]
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      #expect(FileManager.default.fileExists(atPath: status), "the shard status file is touched")
      union += try cases(in: String(contentsOfFile: json, encoding: .utf8))
    }
    let all = try SuitePlan.collect([faults])
    #expect(union.sorted() == all.sorted())
  }

  /// The JUnit file read by Python's junitparser, a consumer that is not ours.
  @Test(
    .enabled(
      if: toolsRequired || pythonHasModule("junitparser"),
      "python3 with junitparser is not installed (pip install junitparser)"))
  func aRealJUnitConsumerReadsTheReport() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("suite.xml").path
    let suite = devsim(["suite", faults, "--junit", junit, "--quiet"])
    #expect(suite.code == 0)
    let script = """
      import sys
      from junitparser.xunit2 import JUnitXml
      xml = JUnitXml.fromfile(sys.argv[1])
      cases = [case for suite in xml for case in suite]
      props = {p.name: p.value for p in cases[0].properties()}
      failed = sum(1 for case in cases if not case.is_passed)
      print(len(cases), failed, 'seed' in props, 'profile.sha256' in props,
            any(k.endswith('reactionFromOnsetSeconds') for c in cases for k in {p.name for p in c.properties()}))
      """
    let output = try pythonClient(module: "junitparser", script: script, arguments: [junit])
    let expected = try SuitePlan.collect([faults]).count
    #expect(
      output == "\(expected) 0 True True True")
  }

  @Test func aFailingCaseIsReportedAsAFailure() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The standard profile with an open sensor it does not expect.
    let source = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json")
    var text = try String(contentsOf: source, encoding: .utf8)
    text = text.replacingOccurrences(
      of: "\"expect\":",
      with:
        "\"faults\": [ { \"at\": \"5m\", \"sensor\": \"plate\", \"kind\": \"open\" } ],\n  \"expect\":"
    )
    let profile = directory.appendingPathComponent("bad.json")
    try Data(text.utf8).write(to: profile)
    let junit = directory.appendingPathComponent("suite.xml").path
    let result = devsim(["suite", profile.path, "--junit", junit, "--quiet"])
    #expect(result.code == 1)
    #expect(result.output.contains("0 passed, 1 failed"))
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(xml.contains("<failure message=\"unexpected trip: sensor-plausibility"))
  }
}
