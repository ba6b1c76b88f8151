import Foundation
import Testing

@testable import DevsimKit
@testable import devsim

/// What a CI log shows: suite failures by name with their trip and reaction
/// time, every scenario with `--verbose`, campaign coverage, the valid kinds
/// on a bad `--schedule`, and one table of fault kinds and SCPI mnemonics.
@Suite struct ConsoleReportTests {
  /// A copy of the standard cryo profile with an open plate it does not expect.
  func failingProfile(in directory: URL) throws -> String {
    let source = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json")
    var text = try String(contentsOf: source, encoding: .utf8)
    text = text.replacingOccurrences(
      of: "\"expect\":",
      with:
        "\"faults\": [ { \"at\": \"5m\", \"sensor\": \"plate\", \"kind\": \"open\" } ],\n  \"expect\":"
    )
    let profile = directory.appendingPathComponent("bad.json")
    try Data(text.utf8).write(to: profile)
    return profile.path
  }

  @Test func aSuiteFailureIsPrintedByNameWithItsTripAndReactionTime() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = try failingProfile(in: directory)
    let result = devsim(["suite", bad, "--quiet"])
    #expect(result.code == 1)
    #expect(result.output.contains("FAIL cryolipolysis-35min (\(bad))"))
    #expect(
      result.output.contains(
        // The open thermistor reads −60 °C, below the cryolipolysis plausible range's −40 °C.
        "  trip sensor-plausibility on plate at 5:00.3 (reading -60.00 °C, limit -40.00 °C): "
          + "0.300 s after injection, 0.300 s after its onset (bound 0.400 s)"
      ))
    #expect(result.output.contains("  - unexpected trip: sensor-plausibility"))
  }

  @Test func verboseListsEveryScenario() throws {
    let path = repositoryRoot.appendingPathComponent("Profiles/open-loop").path
    let quiet = devsim(["suite", path])
    #expect(quiet.code == 0)
    #expect(!quiet.output.contains("PASS "))
    let verbose = devsim(["suite", path, "--verbose"])
    #expect(verbose.code == 0)
    let names = try SuitePlan.collect([path]).map { try ProfileLoader.load($0).profile.name }
    #expect(!names.isEmpty)
    for name in names { #expect(verbose.output.contains("PASS \(name) (")) }
    #expect(verbose.output.contains("  no trip\n"))
  }

  @Test func aCampaignPrintsItsCoverage() throws {
    let path = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    let result = devsim(["campaign", path, "--runs", "12", "--seed", "5"])
    #expect(result.code == 0)
    #expect(result.output.contains("coverage: 12 runs by fault kind drawn"))
    #expect(result.output.contains("  fault kind "))
    #expect(result.output.contains("reaction from the first injected fault ("))
    #expect(result.output.contains(" p50 ") && result.output.contains(" p99 "))
  }

  @Test func coverageCountsKindsAgainstFirstTripsAndPercentiles() {
    var coverage = CampaignCoverage()
    let open = CampaignFault(kind: "open", target: "plate", atNanoseconds: 0, value: nil)
    let lost = CampaignFault(kind: "contact-lost", target: "plant", atNanoseconds: 0, value: nil)
    coverage.add(
      [open, lost],
      trip: CampaignTrip(check: "sensor-plausibility", reactionNanoseconds: 300_000_000))
    coverage.add([open], trip: CampaignTrip(check: "sensor-plausibility", reactionNanoseconds: 1))
    coverage.add([lost], trip: nil)
    #expect(coverage.runs["open"]?["sensor-plausibility"] == 2)
    #expect(coverage.runs["contact-lost"]?["sensor-plausibility"] == 1)
    #expect(coverage.runs["contact-lost"]?[CampaignCoverage.noTrip] == 1)
    #expect(coverage.reactionPercentile(0.5) == 1)
    #expect(coverage.reactionPercentile(0.99) == 300_000_000)
    let text = coverage.render()
    #expect(text.contains("never drawn: short"))
    #expect(text.contains("p50 0.000 s"))
  }

  @Test func aBadScheduleKindListsTheValidKinds() {
    let path = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    let stage = devsim(["campaign", path, "--schedule", "TECOpen:stage@600"])
    #expect(stage.code == 64)
    #expect(
      stage.errors.contains(
        "stage kinds: output-open, driver-shorted, inverted ('TECOpen' is the rig's SIMulate:FAULt mnemonic for output-open)"
      ))
    let sensor = devsim(["campaign", path, "--schedule", "melt:plate@600"])
    #expect(sensor.code == 64)
    #expect(
      sensor.errors.contains(
        "sensor kinds: open, short, stuck, drift, detached, spikes, dropout, stale"))
    let target = devsim(["campaign", path, "--schedule", "open:nowhere@600"])
    #expect(target.errors.contains("targets are a sensor (plate, plate-b"))
  }

  @Test func everyProfileFaultKindHasOneMnemonicTheRigAccepts() throws {
    let profileKinds =
      FaultDecoder.sensorKinds.map(\.0) + FaultDecoder.stageKinds.map(\.0)
      + FaultDecoder.plantKinds.map(\.0)
    #expect(FaultKinds.all.map(\.profile) == profileKinds)
    #expect(Set(FaultKinds.all.map { $0.scpi.uppercased() }).count == FaultKinds.all.count)
    for kind in FaultKinds.all {
      var rig = RigEmulator(profile: try RigEmulator.defaultProfile())
      _ = rig.handle(Array("SIMulate:FAULt \(kind.scpi)".utf8))
      #expect(rig.handle(Array("SYST:ERR?".utf8)) == "0,\"No error\"", "\(kind.scpi)")
      #expect(rig.events.last?.hasPrefix("fault injected: \(kind.scpi.uppercased())") == true)
      #expect(FaultKinds.scpi(kind.scpi) != nil)
    }
  }
}
