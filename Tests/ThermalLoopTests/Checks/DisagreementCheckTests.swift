import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("DisagreementCheck", .tags(.safety))
struct DisagreementCheckTests {
  @Test("control and redundant 1.7 °C apart for 1 s trips; reading the difference in °C")
  func apart() throws {
    var check = DisagreementCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(plateWithRedundant),
      count: plateWithRedundant.count)
    let found = runComponent(&check, from: 0, through: 5 * second) { now in
      componentTick(
        .afterSensors,
        [fresh(-12, at: now), fresh(30, at: now), fresh(20, at: now), fresh(-13.7, at: now)],
        at: now)
    }
    let trip = try #require(found)
    #expect(trip.check == .sensorDisagreement)
    #expect(trip.subject == .sensorPair(0, 3))
    #expect(trip.detectedNanoseconds == second)
    #expect(trip.measurement.quantity == .difference)
    #expect(trip.measurement.unit == .celsius)
    #expect(abs(trip.reading - 1.7) < 1e-9)
    #expect(trip.limit == 1.5)
    var agreeing = componentTick(
      .afterSensors,
      [fresh(-12, at: 0), fresh(30, at: 0), fresh(20, at: 0), fresh(-12.5, at: 0)], at: 0)
    #expect(check.isCausePresent(of: trip, &agreeing) == false)
    #expect(check.persistenceNanoseconds(of: trip) == second)
  }
}
