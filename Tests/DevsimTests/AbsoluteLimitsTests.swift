import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// The two tiers of safety limits: a profile may only tighten its mode's
/// absolute limits; a scenario that must loosen one says so and is reported.
@Suite(.tags(.safety)) struct AbsoluteLimitsTests {
  /// A shipped standard profile with `safety` (and any other top-level keys) inserted.
  private func profile(_ shipped: String, inserting text: String) throws -> Profile {
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent(shipped), encoding: .utf8)
    let edited = source.replacingOccurrences(of: "\"seed\":", with: "\(text),\n  \"seed\":")
    return try ProfileDecoder.decode(Array(edited.utf8), file: "p.json")
  }

  private func refusal(_ shipped: String, _ text: String) -> String {
    do {
      _ = try profile(shipped, inserting: text)
      return "accepted"
    } catch {
      return "\(error)"
    }
  }

  @Test(
    "a safety block that loosens a mode's absolute limit is refused, naming the field",
    arguments: [
      (
        "Profiles/cryolipolysis-35min.json",
        #""safety": { "setpointClamp": { "low": -100, "high": 200 } }"#, "setpointClamp"
      ),
      (
        "Profiles/cryolipolysis-35min.json",
        #""safety": { "plausible": { "low": -100, "high": 200 } }"#, "plausible"
      ),
      (
        "Profiles/cryolipolysis-35min.json",
        #""safety": { "interlock": { "contactPersistence": "10000000s" } }"#,
        "interlock.contactPersistence"
      ),
      (
        "Profiles/cryolipolysis-35min.json", #""safety": { "timeCap": { "limit": "10000000s" } }"#,
        "timeCap.limit"
      ),
      (
        "Profiles/cryolipolysis-35min.json", #""safety": { "timeCap": { "factor": 10 } }"#,
        "timeCap.factor"
      ),
      (
        "Profiles/cryolipolysis-35min.json", #""safety": { "freeze": { "enabled": false } }"#,
        "freeze.enabled"
      ),
      (
        "Profiles/cryolipolysis-35min.json", #""safety": { "stale": { "trip": "100s" } }"#,
        "stale.trip"
      ),
      (
        "Profiles/laser-lipolysis-25min.json", #""safety": { "doseCap": { "enabled": false } }"#,
        "doseCap.enabled"
      ),
      (
        "Profiles/laser-lipolysis-25min.json", #""safety": { "doseCap": { "planMinutes": 1e9 } }"#,
        "doseCap.planMinutes"
      ),
      (
        "Profiles/laser-lipolysis-25min.json", #""safety": { "rate": { "rise": 100 } }"#,
        "rate.rise"
      ),
      (
        "Profiles/cryolipolysis-35min.json", #""safety": { "wrongDirection": { "rate": 0.5 } }"#,
        "wrongDirection.rate"
      ),
      (
        "Profiles/cryolipolysis-35min.json",
        #""safety": { "wrongDirection": { "persistence": "60s" } }"#,
        "wrongDirection.persistence"
      ),
    ])
  func looseningIsRefused(shipped: String, safety: String, field: String) {
    let message = refusal(shipped, safety)
    #expect(message.contains("$.safety") && message.contains("\(field) loosens"), "\(message)")
  }

  @Test("the issue's profile: a +80 °C cryo setpoint behind a wide clamp and no hard limits")
  func theHostileProfileIsRefused() {
    let message = refusal(
      "Profiles/cryolipolysis-35min.json",
      #""safety": { "setpointClamp": { "low": -100, "high": 200 }, "plausible": { "low": -100, "high": 200 }, "hardLimits": [] }"#
    )
    #expect(message.contains("loosens"), "\(message)")
  }

  @Test("an empty hardLimits keeps the mode's; a profile's hard limits add to them")
  func hardLimitsAdd() throws {
    let none = try profile(
      "Profiles/cryolipolysis-35min.json", inserting: #""safety": { "hardLimits": [] }"#)
    #expect(none.safety.limitRuleCount == SafetyConfiguration(mode: .cryolipolysis).limitRuleCount)
    let more = try profile(
      "Profiles/cryolipolysis-35min.json",
      inserting:
        #""safety": { "hardLimits": [ { "site": "skin", "direction": "below", "threshold": -5 } ] }"#
    )
    #expect(more.safety.limitRuleCount == none.safety.limitRuleCount + 1)
  }

  @Test("tightening is accepted and declares no relaxation")
  func tighteningIsAccepted() throws {
    let tight = try profile(
      "Profiles/cryolipolysis-35min.json",
      inserting:
        #""safety": { "stale": { "trip": "0.5s" }, "setpointClamp": { "low": -14, "high": 5 } }"#)
    #expect(tight.safety.staleTripNanoseconds == 500_000_000)
    #expect(tight.relaxations.isEmpty)
    let direction = try profile(
      "Profiles/cryolipolysis-35min.json",
      inserting: #""safety": { "wrongDirection": { "rate": 0.05, "persistence": "3s" } }"#)
    #expect(direction.safety.wrongDirectionRateCelsiusPerSecond == 0.05)
    #expect(direction.safety.wrongDirectionPersistenceNanoseconds == 3_000_000_000)
    #expect(direction.relaxations.isEmpty)
  }

  @Test("a declared relaxation is accepted, kept, and printed as a WARNING in the summary")
  func aDeclaredRelaxationIsReported() throws {
    let relaxed = try profile(
      "Profiles/cryolipolysis-35min.json",
      inserting:
        #""safety": { "relax": { "freeze.enabled": "tests another check" }, "freeze": { "enabled": false } }"#
    )
    #expect(
      relaxed.relaxations == [Relaxation(field: "freeze.enabled", reason: "tests another check")])
    #expect(!relaxed.safety.freezeDetection)
    let run = devsim(["run", "Profiles/faults/cryo-tec-open-holding.json"])
    #expect(
      run.output.contains("WARNING: safety relaxed for this scenario: freeze.enabled"),
      "\(run.output)")
  }

  @Test("a relaxation that loosens nothing, or has no reason, is refused")
  func emptyRelaxationsAreRefused() {
    #expect(
      refusal(
        "Profiles/cryolipolysis-35min.json", #""safety": { "relax": { "stale.trip": "why" } }"#
      )
      .contains("does not loosen"))
    #expect(
      refusal(
        "Profiles/cryolipolysis-35min.json",
        #""safety": { "relax": { "freeze.enabled": " " }, "freeze": { "enabled": false } }"#
      ).contains("says why"))
  }

  @Test("suite --forbid-relaxed fails a relaxed scenario; JUnit carries the relaxation")
  func forbidRelaxed() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("j.xml").path
    let relaxed = "Profiles/faults/cryo-tec-open-holding.json"
    #expect(devsim(["suite", relaxed, "--quiet", "--junit", junit]).code == 0)
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(xml.contains("name=\"relaxed.freeze.enabled\""))
    let forbidden = devsim(["suite", relaxed, "--forbid-relaxed", "--quiet"])
    #expect(forbidden.code == 1)
    #expect(forbidden.output.contains("relaxes freeze.enabled (--forbid-relaxed)"))
  }
}
