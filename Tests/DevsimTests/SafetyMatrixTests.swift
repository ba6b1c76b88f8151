import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// The fault matrix: every check has a scenario that must trip it, in each
/// mode where it applies, and every trip of every shipped scenario comes
/// within its check's bound after its condition began.
@Suite(.tags(.safety)) struct SafetyMatrixTests {
  /// Checks and the modes they apply to (actuator-fault needs a refused
  /// write, which the simulated stage never does; it is tested in
  /// ControlLoopTests; lease-lapsed needs a rig, RigHandshakeTests).
  static let coverage: [(SafetyCheck, [TreatmentMode])] = [
    (.sensorPlausibility, [.cryolipolysis, .laserLipolysis]),
    (.hardLow, [.cryolipolysis, .laserLipolysis]), (.hardHigh, [.cryolipolysis, .laserLipolysis]),
    (.outOfWindow, [.cryolipolysis, .laserLipolysis]),
    (.mustProgress, [.cryolipolysis, .laserLipolysis]),
    (.rateOfChange, [.cryolipolysis, .laserLipolysis]), (.freezeDetected, [.cryolipolysis]),
    (.sensorDisagreement, [.cryolipolysis, .laserLipolysis]),
    (.stuckSensor, [.cryolipolysis, .laserLipolysis]),
    (.staleData, [.cryolipolysis, .laserLipolysis]),
    (.actuatorReadBack, [.cryolipolysis, .laserLipolysis]),
    (.timeCap, [.cryolipolysis, .laserLipolysis]), (.doseCap, [.laserLipolysis]),
    (.interlock, [.cryolipolysis, .laserLipolysis]),
    (.modelMismatch, [.cryolipolysis, .laserLipolysis]),
    // A laser only heats: wrong-direction never arms in laser mode.
    (.wrongDirection, [.cryolipolysis]),
  ]

  @Test func everyCheckHasAMustTripScenarioInEachMode() throws {
    var covered: [String: Set<UInt8>] = [:]
    for path in shippedProfiles() {
      let profile = try loadShipped(path).profile
      for trip in profile.expect.trips {
        covered["\(trip.check.name)", default: []].insert(profile.mode.rawValue)
      }
    }
    for (check, modes) in Self.coverage {
      for mode in modes {
        #expect(
          covered["\(check.name)"]?.contains(mode.rawValue) == true, "\(check.name) in \(mode)")
      }
    }
    let quiet = shippedProfiles().filter { $0.hasPrefix("Profiles/no-trip/") }
    #expect(quiet.count >= 6, "must-not-trip cases ship too")
  }

  /// Per check: detection − onset ≤ persistence + one sample period, for every trip shipped.
  @Test(arguments: shippedProfiles()) func tripsComeWithinTheirCheckBound(_ path: String) throws {
    let loaded = try loadShipped(path)
    var sink = DiscardingSink()
    let outcome = try Scenario.run(
      loaded.profile, seed: loaded.profile.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    #expect(outcome.trips.count == loaded.profile.expect.trips.count)
    for (trip, bound) in zip(outcome.trips, outcome.reactionBounds) {
      let fromOnset = trip.detectedNanoseconds - trip.conditionSinceNanoseconds
      #expect(
        fromOnset <= bound,
        "\(trip.check.name): \(fromOnset) ns from onset, bound \(bound) ns")
      #expect(trip.conditionSinceNanoseconds <= trip.detectedNanoseconds)
      #expect(trip.safeStateNanoseconds == trip.detectedNanoseconds)
    }
  }
}
