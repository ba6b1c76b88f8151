import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit
@testable import devsim

/// Requirements, hazards and risk controls traced to scenarios: the shipped
/// catalogue, validation of `verifies`, the trace matrix in every report,
/// the gap list and `--fail-on-gaps`.
@Suite(.tags(.safety)) struct TraceabilityTests {
  private let catalogue = repositoryRoot.appendingPathComponent("Profiles/requirements.json")
  private let standard = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json")
  private let hardHigh = repositoryRoot.appendingPathComponent(
    "Profiles/faults/cryo-driver-shorted-hot.json")

  /// A scratch folder with `catalogue` as its requirements.json and the
  /// given profiles (name → text).
  private func folder(catalogue: String, profiles: [String: String]) throws -> URL {
    let directory = try scratchDirectory()
    try Data(catalogue.utf8).write(to: directory.appendingPathComponent("requirements.json"))
    for (name, text) in profiles {
      try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    return directory
  }

  /// A profile's text with its `verifies` list replaced by `ids`.
  private func text(of profile: URL, verifying ids: [String]) throws -> String {
    let text = try String(contentsOf: profile, encoding: .utf8)
    let list = "\"verifies\": [" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    return text.replacing(/"verifies": \[[^\]]*\]/, with: list)
  }

  private func object(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Every supervisor check is a risk control linked to a hazard, and a
  /// shipped scenario must trip it (or the catalogue says which tests
  /// verify it outside the suite, and why).
  @Test func everyCheckIsARiskControlWithAMustTripScenario() throws {
    let loaded = try RequirementCatalogue.load(catalogue.path)
    var mustTrip: [String: [String]] = [:]
    for path in shippedProfiles() {
      let profile = try loadShipped(path).profile
      for id in profile.verifies?.map(\.id) ?? [] {
        mustTrip[id, default: []] += profile.expect.trips.map { "\($0.check.name)" }
      }
    }
    for check in SafetyCheck.allCases {
      let name = "\(check.name)"
      let controls = loaded.items.filter { $0.kind == .riskControl && $0.check == name }
      #expect(controls.count == 1, "\(name) is one risk control")
      for control in controls {
        #expect(
          control.links.contains { id in loaded.item(id)?.kind == .hazard },
          "\(control.id) links to a hazard")
        if control.verifiedOutsideSuite == nil {
          #expect(
            mustTrip[control.id]?.contains(name) == true,
            "a shipped scenario verifying \(control.id) must trip \(name)")
        }
      }
    }
  }

  /// The shipped suite leaves no gap: every requirement and risk control
  /// has a passing scenario (or is verified outside the suite), every
  /// hazard a verified risk control; the reports carry the matrix.
  @Test func theShippedSuiteLeavesNoGap() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = directory.appendingPathComponent("suite.json").path
    let junit = directory.appendingPathComponent("suite.xml").path
    let profiles = repositoryRoot.appendingPathComponent("Profiles").path
    let result = devsim(["suite", profiles, "--fail-on-gaps", "--json", json, "--junit", junit])
    #expect(result.code == 0, "\(result.output)\(result.errors)")
    #expect(result.output.contains("0 gaps"))
    let report = try object(json)
    let rows = try #require(report["trace"] as? [[String: Any]])
    let statuses = Dictionary(
      uniqueKeysWithValues: rows.compactMap { row in
        (row["id"] as? String).map { ($0, row["status"] as? String ?? "") }
      })
    #expect(statuses["RC-HARD-HIGH"] == "verified")
    #expect(statuses["RC-LOOP-OVERRUN"] == "outside-suite")
    #expect(statuses["HAZ-BURN"] == "controlled")
    #expect(statuses["REQ-CRYO-WINDOW"] == "verified")
    #expect((report["gaps"] as? [Any])?.isEmpty == true)
    #expect(report["gapsJudged"] as? Bool == true)
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(
      xml.contains(
        "<property name=\"FullyVerifies\" value=\"RC-HARD-HIGH, REQ-REACTION-BOUND, REQ-SAFE-STATE-SAME-TICK\"/>"
      ))
    #expect(xml.contains("<property name=\"PartiallyVerifies\" value=\"RC-MODEL-MISMATCH\"/>"))
  }

  @Test func anUnknownIDIsRefusedWithItsFileLineAndPath() throws {
    let catalogueText = try String(contentsOf: catalogue, encoding: .utf8)
    let directory = try folder(
      catalogue: catalogueText,
      profiles: ["bad.json": try text(of: standard, verifying: ["REQ-CRYO-WINDOW", "REQ-NOPE"])])
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = directory.appendingPathComponent("bad.json").path
    let validate = devsim(["validate", bad])
    #expect(validate.code == 65)
    #expect(
      validate.errors.contains(
        "\(bad):5: $.verifies[1]: unknown ID \"REQ-NOPE\": not in the catalogue "
          + "\(directory.path)/requirements.json"), "\(validate.errors)")
    let suite = devsim(["suite", directory.path, "--quiet"])
    #expect(suite.code == 65)
    #expect(suite.output.contains("unknown ID \"REQ-NOPE\""))
  }

  @Test func aHazardIsVerifiedThroughItsRiskControls() throws {
    let directory = try folder(
      catalogue: try String(contentsOf: catalogue, encoding: .utf8),
      profiles: ["hazard.json": try text(of: standard, verifying: ["HAZ-FREEZE"])])
    defer { try? FileManager.default.removeItem(at: directory) }
    let validate = devsim(["validate", directory.appendingPathComponent("hazard.json").path])
    #expect(validate.code == 65)
    #expect(validate.errors.contains("$.verifies[0]: \"HAZ-FREEZE\" is a hazard"))
    #expect(validate.errors.contains("RC-FREEZE-DETECTED"))
  }

  @Test(arguments: [
    (
      "{\"schemaVersion\": 1, \"items\": [{\"id\": \"RC-A\", \"kind\": \"risk-control\", "
        + "\"title\": \"a\", \"check\": \"hard-high\"}]}",
      "$.items[0]: the risk control RC-A links to no hazard"
    ),
    (
      "{\"schemaVersion\": 1, \"items\": [{\"id\": \"H\", \"kind\": \"hazard\", \"title\": \"h\"}, "
        + "{\"id\": \"RC-A\", \"kind\": \"risk-control\", \"title\": \"a\", \"check\": \"too-hot\", "
        + "\"links\": [\"H\"]}]}",
      "$.items[1].check: unknown check \"too-hot\""
    ),
    (
      "{\"schemaVersion\": 1, \"items\": [{\"id\": \"R\", \"kind\": \"requirement\", \"title\": \"r\", "
        + "\"links\": [\"NOWHERE\"]}]}",
      "$.items[0].links[0]: R links to \"NOWHERE\", which is not in the catalogue"
    ),
    (
      "{\"schemaVersion\": 1, \"items\": [{\"id\": \"R\", \"kind\": \"requirement\", \"title\": \"r\"}, "
        + "{\"id\": \"R\", \"kind\": \"requirement\", \"title\": \"again\"}]}",
      "$.items[1].id: the ID \"R\" is used twice"
    ),
    (
      "{\"schemaVersion\": 1, \"items\": [{\"id\": \"R\", \"kind\": \"requirement\", \"title\": \"r\", "
        + "\"owner\": \"x\"}]}",
      "$.items[0].owner"
    ),
  ])
  func aBadCatalogueIsRefused(catalogueText: String, message: String) throws {
    let directory = try folder(catalogue: catalogueText, profiles: [:])
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("requirements.json").path
    let validate = devsim(["validate", path])
    #expect(validate.code == 65)
    #expect(validate.errors.contains(path), "\(validate.errors)")
    #expect(validate.errors.contains(message), "\(validate.errors)")
  }

  /// A catalogue entry nothing verifies is a gap: reported always, fatal
  /// with `--fail-on-gaps`.
  @Test func aRequirementWithoutAPassingScenarioFailsFailOnGaps() throws {
    let catalogueText = """
      {"schemaVersion": 1, "items": [
        {"id": "HAZ-BURN", "kind": "hazard", "title": "burn"},
        {"id": "RC-HARD-HIGH", "kind": "risk-control", "title": "hard high", "check": "hard-high",
         "links": ["HAZ-BURN"]},
        {"id": "REQ-HELD", "kind": "requirement", "title": "held"},
        {"id": "REQ-ORPHAN", "kind": "requirement", "title": "nobody tests this"}
      ]}
      """
    let directory = try folder(
      catalogue: catalogueText,
      profiles: [
        "hot.json": try text(of: hardHigh, verifying: ["RC-HARD-HIGH"]),
        "held.json": try text(of: standard, verifying: ["REQ-HELD"]),
      ])
    let reports = try scratchDirectory()
    defer {
      try? FileManager.default.removeItem(at: directory)
      try? FileManager.default.removeItem(at: reports)
    }
    // Outside the suite's folder, where the next run would take it for a profile.
    let json = reports.appendingPathComponent("suite.json").path
    let plain = devsim(["suite", directory.path, "--json", json])
    #expect(plain.code == 0, "gaps are reported, not fatal, without the flag")
    #expect(plain.output.contains("1 gap\n"))
    #expect(plain.output.contains("gap REQ-ORPHAN (requirement): no scenario verifies it"))
    let gaps = try #require(try object(json)["gaps"] as? [[String: Any]])
    #expect(gaps.map { $0["id"] as? String } == ["REQ-ORPHAN"])
    let strict = devsim(["suite", directory.path, "--fail-on-gaps", "--quiet"])
    #expect(strict.code == 1)
    #expect(strict.output.contains("2 passed, 0 failed"))
  }

  /// A risk control listed by a scenario that need not trip its check is
  /// verified only partially, which leaves it (and its hazard) a gap.
  @Test func aRiskControlNeedsAScenarioThatTripsItsCheck() throws {
    let catalogueText = """
      {"schemaVersion": 1, "items": [
        {"id": "HAZ-BURN", "kind": "hazard", "title": "burn"},
        {"id": "RC-HARD-HIGH", "kind": "risk-control", "title": "hard high", "check": "hard-high",
         "links": ["HAZ-BURN"]}
      ]}
      """
    let directory = try folder(
      catalogue: catalogueText,
      profiles: ["held.json": try text(of: standard, verifying: ["RC-HARD-HIGH"])])
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("suite.xml").path
    let result = devsim(["suite", directory.path, "--fail-on-gaps", "--junit", junit])
    #expect(result.code == 1)
    #expect(
      result.output.contains(
        "gap RC-HARD-HIGH (risk-control): its scenarios verify it only partially (none must trip hard-high)"
      ))
    #expect(result.output.contains("gap HAZ-BURN (hazard): none of its risk controls is verified"))
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(xml.contains("<property name=\"PartiallyVerifies\" value=\"RC-HARD-HIGH\"/>"))
    #expect(!xml.contains("FullyVerifies"))
  }

  /// A failing scenario leaves what it verifies failed, in the gap list.
  @Test func aFailingScenarioLeavesItsRequirementFailed() throws {
    let catalogueText = """
      {"schemaVersion": 1, "items": [{"id": "REQ-HELD", "kind": "requirement", "title": "held"}]}
      """
    var failing = try text(of: standard, verifying: ["REQ-HELD"])
    failing = failing.replacingOccurrences(
      of: "\"expect\":",
      with:
        "\"faults\": [ { \"at\": \"5m\", \"sensor\": \"plate\", \"kind\": \"open\" } ],\n  \"expect\":"
    )
    let directory = try folder(catalogue: catalogueText, profiles: ["open.json": failing])
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = devsim(["suite", directory.path, "--quiet"])
    #expect(result.code == 1)
    #expect(
      result.output.contains("gap REQ-HELD (requirement): \(directory.path)/open.json failed"))
  }

  /// A profile without a `verifies` list is listed as untraced (not refused).
  @Test func aProfileWithoutAVerifiesListIsReportedUntraced() throws {
    let catalogueText = """
      {"schemaVersion": 1, "items": [{"id": "REQ-HELD", "kind": "requirement", "title": "held"}]}
      """
    let bare = try String(contentsOf: standard, encoding: .utf8).replacing(
      /\n  "verifies": \[[^\]]*\],/, with: "")
    let directory = try folder(
      catalogue: catalogueText,
      profiles: ["bare.json": bare, "held.json": try text(of: standard, verifying: ["REQ-HELD"])])
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(devsim(["validate", directory.path]).code == 0)
    let html = directory.appendingPathComponent("suite.html").path
    let result = devsim(["suite", directory.path, "--fail-on-gaps", "--html", html])
    #expect(result.code == 0)
    #expect(result.output.contains("untraced \(directory.path)/bare.json: no \"verifies\" list"))
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("<div id=\"traceability\">"))
    #expect(page.contains("<tr class=\"pass\" id=\"trace-REQ-HELD\">"))
    #expect(page.contains("scenarios without a verifies list: \(directory.path)/bare.json"))
  }

  @Test func failOnGapsNeedsACatalogueAndTheWholePlan() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      at: standard, to: directory.appendingPathComponent("standard.json"))
    let none = devsim(["suite", directory.path, "--fail-on-gaps"])
    #expect(none.code == 64)
    #expect(none.errors.contains("--fail-on-gaps needs a catalogue"))
    let shard = devsim([
      "suite", repositoryRoot.appendingPathComponent("Profiles").path, "--fail-on-gaps",
      "--shard", "1/3",
    ])
    #expect(shard.code == 64)
    #expect(shard.errors.contains("judges a whole plan"))
    // Without the flag a shard reports its gaps, marked as not a verdict.
    let json = directory.appendingPathComponent("shard.json.out").path
    let part = devsim([
      "suite", repositoryRoot.appendingPathComponent("Profiles").path, "--shard", "1/3", "--json",
      json, "--quiet",
    ])
    #expect(part.code == 0)
    #expect(part.output.contains("in this shard (judge gaps on the whole plan)"))
    #expect(try object(json)["gapsJudged"] as? Bool == false)
  }

  /// Xray and S-CORE property names, read by junitparser (not our code).
  @Test(
    .enabled(
      if: toolsRequired || pythonHasModule("junitparser"),
      "python3 with junitparser is not installed (pip install junitparser)"))
  func junitparserReadsTheTraceProperties() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("suite.xml").path
    let faults = repositoryRoot.appendingPathComponent("Profiles/faults").path
    #expect(devsim(["suite", faults, "--junit", junit, "--quiet"]).code == 0)
    let script = """
      import sys
      from junitparser.xunit2 import JUnitXml
      xml = JUnitXml.fromfile(sys.argv[1])
      for suite in xml:
          for case in suite:
              if case.name == 'cryo-plate-open':
                  props = {p.name: p.value for p in case.properties()}
                  print(props['requirements'], '|', props['FullyVerifies'], '|',
                        props['TestType'], '|', props['DerivationTechnique'])
      """
    let output = try pythonClient(module: "junitparser", script: script, arguments: [junit])
    #expect(
      output
        == "RC-SENSOR-PLAUSIBILITY, REQ-REACTION-BOUND, REQ-SAFE-STATE-SAME-TICK | "
        + "RC-SENSOR-PLAUSIBILITY, REQ-REACTION-BOUND, REQ-SAFE-STATE-SAME-TICK | "
        + "fault-injection | requirements-analysis")
  }

  /// S-CORE's test tooling takes these values only (its pytest plugin's
  /// `test_type` and `derivation_technique`); written out here, apart from
  /// the code's own lists.
  static let scoreTestTypes: Set = [
    "fault-injection", "interface-test", "requirements-based", "resource-usage",
  ]
  static let scoreDerivationTechniques: Set = [
    "requirements-analysis", "design-analysis", "boundary-values", "equivalence-classes",
    "fuzz-testing", "error-guessing", "explorative-testing",
  ]

  @Test func everyTracedCaseIsClassifiedAsSCoreReadsIt() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("suite.xml").path
    let profiles = ["faults/cryo-plate-open.json", "no-trip/cryo-setpoint-up.json"].map {
      repositoryRoot.appendingPathComponent("Profiles/\($0)").path
    }
    #expect(devsim(["suite"] + profiles + ["--junit", junit, "--quiet"]).code == 0)
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    var found: [String: (String, String)] = [:]
    for chunk in xml.split(separator: "<testcase ").dropFirst() {
      let name = try #require(chunk.firstMatch(of: /\sname="([^"]*)"/)).1
      let type = try #require(chunk.firstMatch(of: /<property name="TestType" value="([^"]*)"/)).1
      let technique = try #require(
        chunk.firstMatch(of: /<property name="DerivationTechnique" value="([^"]*)"/)
      ).1
      #expect(Self.scoreTestTypes.contains(String(type)))
      #expect(Self.scoreDerivationTechniques.contains(String(technique)))
      found[String(name)] = (String(type), String(technique))
    }
    // A scenario that must trip injects its check's fault; the other is requirements-based.
    #expect(found["cryo-plate-open"]?.0 == "fault-injection")
    #expect(found["cryo-setpoint-up"]?.0 == "requirements-based")
    #expect(found.values.allSatisfy { $0.1 == "requirements-analysis" })
    #expect(found.count == 2)
  }
}
