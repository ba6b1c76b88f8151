import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("TimeCapCheck", .tags(.safety))
struct TimeCapCheckTests {
  @Test("treatment time beyond 1.1 × the plan trips; reading and limit in minutes")
  func cap() throws {
    var check = TimeCapCheck(
      SafetyConfiguration(mode: .cryolipolysis), plannedNanoseconds: 10 * minute)
    #expect(check.capNanoseconds == 11 * minute)
    var within = componentTick(
      .afterSensors, [fresh(-12, at: 0)], at: 0, treatmentElapsed: 11 * minute)
    #expect(check.evaluate(&within) == nil)
    var beyond = componentTick(
      .afterSensors,
      [fresh(-12, at: 0)], at: 12 * minute, treatmentElapsed: 11 * minute + second)
    let tripFound = check.evaluate(&beyond)
    let trip = try #require(tripFound)
    #expect(trip.check == .timeCap)
    #expect(trip.measurement.unit == .minutes)
    #expect(abs(trip.reading - (11 + 1.0 / 60)) < 1e-12)
    #expect(trip.limit == 11)
    #expect(trip.conditionSinceNanoseconds == 12 * minute - second)
  }
}
