import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("PlausibilityCheck", .tags(.safety))
struct PlausibilityCheckTests {
  @Test(
    "a reading beyond the plausible range for 0.3 s trips; reading and limit in °C",
    arguments: [(-55.0, -40.0), (95.0, 80.0)])
  func outOfRange(celsius: Double, edge: Double) throws {
    var check = PlausibilityCheck(SafetyConfiguration(mode: .cryolipolysis))
    let found = runComponent(&check, from: 0, through: second) { now in
      componentTick(.sensor(0), [fresh(now >= 200 * millisecond ? celsius : -12, at: now)], at: now)
    }
    let trip = try #require(found)
    #expect(trip.check == .sensorPlausibility)
    #expect(trip.conditionSinceNanoseconds == 200 * millisecond)
    #expect(trip.detectedNanoseconds == 500 * millisecond)
    #expect(trip.measurement == .temperature(celsius: celsius, limitCelsius: edge))
    #expect(trip.measurement.unit == .celsius)
    #expect(check.persistenceNanoseconds(of: trip) == 300 * millisecond)
  }

  @Test("a plausible reading restarts the timer; a failed read leaves it; the cause is the reading")
  func timerAndCause() {
    var check = PlausibilityCheck(SafetyConfiguration(mode: .cryolipolysis))
    var a = componentTick(.sensor(0), [fresh(99, at: 0)], at: 0)
    #expect(check.evaluate(&a) == nil)
    var b = componentTick(.sensor(0), [fresh(-12, at: 200 * millisecond)], at: 200 * millisecond)
    #expect(check.evaluate(&b) == nil)
    var c = componentTick(.sensor(0), [fresh(99, at: 400 * millisecond)], at: 400 * millisecond)
    #expect(check.evaluate(&c) == nil)  // started again at 0.4 s
    var failed = componentTick(.sensor(0), [.fault(.timedOut)], at: 600 * millisecond)
    #expect(check.evaluate(&failed) == nil)
    var d = componentTick(.sensor(0), [fresh(99, at: 700 * millisecond)], at: 700 * millisecond)
    #expect(check.evaluate(&d)?.conditionSinceNanoseconds == 400 * millisecond)
    let trip = TripRecord(
      check: .sensorPlausibility, subject: .sensor(0), measurement: .none,
      conditionSinceNanoseconds: 0, detectedNanoseconds: 0)
    #expect(check.isCausePresent(of: trip, &d) == true)
    var fine = componentTick(.afterSensors, [fresh(-12, at: second)], at: second)
    #expect(check.isCausePresent(of: trip, &fine) == false)
    var none = componentTick(.afterSensors, [.fault(.io)], at: second)
    #expect(check.isCausePresent(of: trip, &none) == true)
  }
}
