import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("DoseCapCheck", .tags(.safety))
struct DoseCapCheckTests {
  @Test(
    "laser: the accumulator's CEM43 beyond 1.1 × the plan trips; reading and limit in CEM43 min")
  func cap() throws {
    // The plan: 47 °C for 25 min is 16 × 25 = 400 CEM43 min; the cap 440.
    var check = DoseCapCheck(
      SafetyConfiguration(mode: .laserLipolysis), window: laserWindow,
      plannedNanoseconds: 25 * minute)
    #expect(abs(check.capMinutes - 440) < 1e-9)
    var under = componentTick(
      .afterSensors, [fresh(46, at: 0)], at: 0, doseIndex: 0, cem43Minutes: 439)
    #expect(check.evaluate(&under) == nil)
    var over = componentTick(
      .afterSensors, [fresh(46, at: 0)], at: second, doseIndex: 0, cem43Minutes: 441)
    let tripFound = check.evaluate(&over)
    let trip = try #require(tripFound)
    #expect(trip.check == .doseCap)
    #expect(trip.subject == .sensor(0))
    #expect(trip.measurement == .dose(cem43Minutes: 441, limitCem43Minutes: check.capMinutes))
    #expect(trip.measurement.unit == .cem43Minutes)
    var noProbe = componentTick(
      .afterSensors, [fresh(46, at: 0)], at: second, doseIndex: -1, cem43Minutes: 441)
    #expect(check.evaluate(&noProbe) == nil)
  }

  @Test("cryo: no dose cap")
  func cryo() {
    var check = DoseCapCheck(
      SafetyConfiguration(mode: .cryolipolysis), window: cryoWindow,
      plannedNanoseconds: 35 * minute)
    var tick = componentTick(
      .afterSensors, [fresh(-12, at: 0)], at: 0, doseIndex: 0, cem43Minutes: 1e9)
    #expect(check.evaluate(&tick) == nil)
  }
}
