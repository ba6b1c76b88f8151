import ApplicatorHAL
import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit
@testable import devsim

/// Every shipped profile meets its expectations, and every trip reaches the
/// simulated power stage, by the stage's own record, in the tick it is detected.
@Suite(.tags(.safety)) struct ShippedProfileTests {
  @Test func thereAreShippedProfiles() {
    #expect(shippedProfiles().count >= 50)
  }

  @Test(arguments: shippedProfiles()) func meetsItsExpectations(_ path: String) throws {
    let loaded = try loadShipped(path)
    var sink = DiscardingSink()
    let outcome = try Scenario.run(
      loaded.profile, seed: loaded.profile.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    #expect(ExpectationCheck.failures(loaded.profile, outcome) == [])
    if loaded.profile.expect.trips.isEmpty {
      #expect(outcome.trip == nil)
      #expect(outcome.end == .completed)
    }
  }

  /// Ticks the loop by hand and watches the stage's own record around the
  /// trip, for every simulated profile that expects one.
  @Test(arguments: simulatedProfilesExpectingATrip())
  func theSafeStateReachesTheStageInTheTripTick(_ path: String) throws {
    let profile = try loadShipped(path).profile
    let expected = try #require(profile.expect.trips.first)
    var loop = Simulation.makeLoop(profile, seed: profile.seed)
    var now: UInt64 = 0
    var enabledBefore = false
    while now <= profile.durationNanoseconds {
      let record = loop.tick(nowNanoseconds: now)
      if let trip = loop.trip {
        #expect(trip.check == expected.check)
        #expect(trip.detectedNanoseconds == now, "the trip is handled in the tick it is detected")
        let received = loop.applicator.powerStage.received
        #expect(received.command == 0)
        #expect(received.enabled == false)
        #expect(received.commandNanoseconds == now && received.enableNanoseconds == now)
        #expect(loop.applicator.powerStage.deliveredOutput == 0)
        #expect(enabledBefore, "the stage was driving before the trip, so the cut is this tick's")
        #expect(record.state == .tripped && record.sentCommand == 0 && !record.enabled)
        #expect(trip.safeStateNanoseconds == now)
        return
      }
      enabledBefore = loop.applicator.powerStage.received.enabled
      now += profile.tickNanoseconds
    }
    Issue.record("\(path): no trip")
  }

  @Test func aShortedDriverIsCutByTheEnable() throws {
    let profile = try loadShipped("Profiles/faults/cryo-driver-shorted-cold.json").profile
    var loop = Simulation.makeLoop(profile, seed: profile.seed)
    var now: UInt64 = 0
    var tripAt: UInt64? = nil
    var plateAtTrip = 0.0
    while now <= profile.durationNanoseconds {
      _ = loop.tick(nowNanoseconds: now)
      if tripAt == nil, loop.trip != nil {
        tripAt = now
        plateAtTrip = loop.applicator.plant.plateCelsius
      }
      if let tripAt, now >= tripAt + 60_000_000_000 { break }
      now += profile.tickNanoseconds
    }
    #expect(tripAt != nil)
    // A zero command alone would not stop a shorted driver; the open enable does.
    #expect(loop.applicator.plant.plateCelsius > plateAtTrip + 3)
  }
}

/// The same profile and seed give the same bytes; another seed changes the noise.
@Suite struct DeterminismTests {
  private func telemetry(_ path: String, seed: UInt64, format: TelemetryFormat) throws -> [UInt8] {
    let loaded = try loadShipped(path)
    var writer = TelemetryWriter(
      format: format,
      provenance: TelemetryProvenance(
        toolVersion: Version.string, seed: seed, profilePath: path, profileSHA256: loaded.sha256),
      profile: loaded.profile)
    _ = Simulation.run(
      loaded.profile, seed: seed, pacing: .maximum, sink: &writer, stop: NeverStop())
    return writer.bytes
  }

  @Test(arguments: [TelemetryFormat.csv, .jsonl]) func sameSeedSameBytes(_ format: TelemetryFormat)
    throws
  {
    let first = try telemetry("Profiles/laser-lipolysis-25min.json", seed: 7, format: format)
    let second = try telemetry("Profiles/laser-lipolysis-25min.json", seed: 7, format: format)
    #expect(first == second)
    #expect(first.count > 100_000)
  }

  @Test func anotherSeedChangesTheNoise() throws {
    let first = try telemetry("Profiles/cryolipolysis-35min.json", seed: 1, format: .csv)
    let second = try telemetry("Profiles/cryolipolysis-35min.json", seed: 2, format: .csv)
    #expect(first != second)
    // Same physics: the header and the row count agree, only readings differ.
    let rows = { (bytes: [UInt8]) in bytes.filter { $0 == UInt8(ascii: "\n") }.count }
    #expect(rows(first) == rows(second))
  }

  @Test func telemetryFileStartsWithProvenanceAndUnits() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("run.csv").path
    let profile = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    let result = devsim(["run", profile, "--seed", "5", "-o", out, "--quiet"])
    #expect(result.code == 0)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    let lines = text.split(separator: "\n", maxSplits: 4).map(String.init)
    let hash = SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: profile))))
    #expect(
      lines[0] == "# devsim \(Version.string) seed=5 profile=\(profile) profile_sha256=\(hash)")
    #expect(lines[1].hasPrefix("# run {") && lines[1].contains("\"window_degC\":[-13.000,-11.000]"))
    let columns = lines[2].split(separator: ",").map(String.init)
    #expect(columns.first == "time_s")
    #expect(columns.contains("plate_degC") && columns.contains("fat-7mm_degC"))
    #expect(
      columns.suffix(4) == ["trip", "dose_min", "lateness_us", "skipped_periods"]
        && columns.contains("sent_command_fraction"))
    #expect(lines[3].split(separator: ",", omittingEmptySubsequences: false).count == columns.count)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(leftovers == ["run.csv"], "no partial file is left behind")
  }
}

/// The shipped profiles that run on the simulator and expect a trip (a
/// profile that does not load is kept, so that its test fails).
private func simulatedProfilesExpectingATrip() -> [String] {
  shippedProfiles().filter { path in
    guard let profile = try? loadShipped(path).profile else { return true }
    return !profile.expect.trips.isEmpty && profile.replayPath == nil
  }
}
