import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// The run record in every suite report, and the manifest that holds the
/// reports' hashes and re-runs the same scenarios with the same seeds.
@Suite(.tags(.safety)) struct RunRecordTests {
  private let traces = repositoryRoot.appendingPathComponent("Profiles/traces").path

  private func object(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// The SHA-256 of a file by coreutils' sha256sum, not our own code.
  private func sha256sum(_ path: String) throws -> String {
    let run = try runProcess("/usr/bin/env", ["sha256sum", path])
    try #require(run.status == 0, "sha256sum: \(run.errors)")
    return String(run.output.prefix(64))
  }

  /// Per scenario: the verdict, the trips with their reaction times, the metrics.
  private func verdicts(_ path: String) throws -> [String] {
    let cases = try #require(try object(path)["cases"] as? [[String: Any]])
    return try cases.map { item in
      let data = try JSONSerialization.data(
        withJSONObject: [
          item["path"] ?? "", item["passed"] ?? "", item["seed"] ?? "", item["trips"] ?? "",
          item["metrics"] ?? "",
        ], options: [.sortedKeys])
      return String(decoding: data, as: UTF8.self)
    }
  }

  @Test func everyReportCarriesTheRunRecordAndTheManifestTheirHashes() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = { (name: String) in directory.appendingPathComponent(name).path }
    let result = devsim([
      "suite", traces, "--junit", file("s.xml"), "--json", file("s.json"), "--html", file("s.html"),
      "--manifest", file("manifest.json"), "--quiet",
    ])
    #expect(result.code == 0, "\(result.output)\(result.errors)")
    let run = try #require(try object(file("s.json"))["run"] as? [String: Any])
    #expect(run["tool"] as? String == "devsim \(Version.string)")
    let started = try #require(run["started"] as? String)
    let finished = try #require(run["finished"] as? String)
    #expect(started.hasSuffix("Z") && started.count == 24 && started <= finished)
    #expect((run["host"] as? String)?.isEmpty == false)
    #expect((run["executor"] as? String)?.isEmpty == false)
    let inputs = try #require(run["inputs"] as? [[String: String]])
    #expect(
      inputs.map { $0["kind"] ?? "" } == ["catalogue", "profile", "trace", "profile", "trace"])
    for input in inputs {
      let path = try #require(input["path"])
      #expect(input["sha256"] == (try sha256sum(path)), "\(path)")
    }
    let xml = try String(contentsOfFile: file("s.xml"), encoding: .utf8)
    #expect(xml.contains("timestamp=\"\(started.prefix(19))\""))
    #expect(xml.contains("<property name=\"run.started\" value=\"\(started)\"/>"))
    #expect(xml.contains("<property name=\"input.3.trace\" value=\"\(inputs[2]["sha256"] ?? "")  "))
    let html = try String(contentsOfFile: file("s.html"), encoding: .utf8)
    #expect(html.contains("<div id=\"run-record\">"))
    let manifest = try object(file("manifest.json"))
    let reports = try #require(manifest["reports"] as? [[String: String]])
    #expect(reports.map { $0["kind"] ?? "" } == ["junit", "json", "html"])
    for report in reports {
      #expect(report["sha256"] == (try sha256sum(try #require(report["path"]))))
    }
    let scenarios = try #require(manifest["scenarios"] as? [[String: Any]])
    #expect(scenarios.count == 2)
    #expect(scenarios.allSatisfy { $0["seed"] as? Int == 1 })
  }

  @Test func theManifestRerunsTheSameScenariosToTheSameResults() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = { (name: String) in directory.appendingPathComponent(name).path }
    let faults = repositoryRoot.appendingPathComponent("Profiles/faults").path
    let first = devsim([
      "suite", faults, "--shard", "2/5", "--json", file("first.json"), "--manifest",
      file("manifest.json"), "--quiet",
    ])
    #expect(first.code == 0)
    let again = devsim([
      "suite", "--rerun", file("manifest.json"), "--json", file("again.json"), "--quiet",
    ])
    #expect(again.code == 0, "\(again.output)\(again.errors)")
    let before = try verdicts(file("first.json"))
    #expect(before.count >= 8)
    #expect(try verdicts(file("again.json")) == before)
  }

  @Test func aRerunRefusesAProfileThatChanged() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = directory.appendingPathComponent("standard.json")
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json"), to: profile)
    let manifest = directory.appendingPathComponent("manifest.txt").path
    #expect(devsim(["suite", profile.path, "--manifest", manifest, "--quiet"]).code == 0)
    var text = try String(contentsOf: profile, encoding: .utf8)
    text = text.replacingOccurrences(of: "\"seed\": 1,", with: "\"seed\": 2,")
    try Data(text.utf8).write(to: profile)
    let rerun = devsim(["suite", "--rerun", manifest])
    #expect(rerun.code == 65)
    #expect(rerun.errors.contains("\(profile.path) changed since \(manifest) was written"))
    let withPaths = devsim(["suite", profile.path, "--rerun", manifest])
    #expect(withPaths.code == 64)
  }
}
