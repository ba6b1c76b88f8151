import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// The wrong-direction check against the shipped scenarios: the inverted
/// TEC trips it within its bound, and nothing else does, even with the
/// control and redundant probes at the largest lag its default time is
/// stated for (2 s, docs/safety.md).
@Suite(.tags(.safety)) struct WrongDirectionTests {
  /// The largest control-probe lag the default 5 s is stated for, s.
  static let maximumControlLagSeconds = 2.0

  @Test func theInvertedTecTripsWithinItsBound() throws {
    let loaded = try loadShipped("Profiles/faults/cryo-inverted-tec.json")
    var sink = DiscardingSink()
    let outcome = try Scenario.run(
      loaded.profile, seed: loaded.profile.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    let trip = try #require(outcome.trips.first)
    #expect(trip.check == .wrongDirection)
    let bound = try #require(outcome.reactionBounds.first)
    #expect(bound == 5_100_000_000, "5 s + one 0.1 s sample period")
    #expect(trip.detectedNanoseconds - trip.conditionSinceNanoseconds <= bound)
    // From the start: armed at the first tick that commands cooling (0.1 s),
    // the first slope 1.8 s later, then 5 s.
    #expect(trip.detectedNanoseconds <= 7 * 1_000_000_000)
    #expect(trip.measurement.value > 1, "the plate heats at over 1 °C/s away from -12 °C")
  }

  @Test(arguments: shippedProfiles().filter { !$0.hasSuffix("cryo-inverted-tec.json") })
  func noOtherScenarioTripsItAtTheMaximumProbeLag(_ path: String) throws {
    var profile = try loadShipped(path).profile
    for index in profile.sensors.indices
    where profile.sensors[index].descriptor.measuresControlledTemperature {
      profile.sensors[index].model.lagSeconds = Self.maximumControlLagSeconds
    }
    var sink = DiscardingSink()
    let outcome = try Scenario.run(
      profile, seed: profile.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    #expect(!outcome.trips.contains { $0.check == .wrongDirection }, "\(path)")
    #expect(
      outcome.trips.map(\.check) == profile.expect.trips.map(\.check),
      "\(path): every expected trip kept at a 2 s probe lag")
  }

  /// The first 100 runs of a seed-42 campaign per mode (CI runs 1,000 per
  /// mode with a seed per commit): random faults of every drawn kind, and
  /// wrong-direction is never the first trip.
  @Test(arguments: ["Profiles/cryolipolysis-35min.json", "Profiles/laser-lipolysis-25min.json"])
  func noCampaignRunTripsIt(_ path: String) throws {
    let profile = try loadShipped(path).profile
    for run in 0..<100 {
      let schedule = FaultSchedule.draw(seed: 42, run: run, profile: profile)
      var trip: CampaignTrip? = nil
      let violations = CampaignRun.check(profile, schedule: schedule, firstTrip: { trip = $0 })
      #expect(violations.isEmpty, "run \(run): \(FaultSchedule.format(schedule))")
      #expect(trip?.check != "wrong-direction", "run \(run): \(FaultSchedule.format(schedule))")
    }
  }
}
