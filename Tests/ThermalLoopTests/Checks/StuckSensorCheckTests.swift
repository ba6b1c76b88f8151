import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("StuckSensorCheck", .tags(.safety))
struct StuckSensorCheckTests {
  /// Runs the stuck check over a plate that reads `celsius(now)` at a command of `command`.
  private func run(
    _ check: inout StuckSensorCheck, command: Double, through end: UInt64,
    _ celsius: (UInt64) -> Double
  ) -> TripRecord? {
    var now: UInt64 = 0
    while now <= end {
      var before = componentTick(
        .beforeSensors, [fresh(celsius(now), at: now)], at: now, command: command,
        isFirst: now == 0)
      _ = check.evaluate(&before)
      var tick = componentTick(
        .sensor(0), [fresh(celsius(now), at: now)], at: now, command: command)
      if let trip = check.evaluate(&tick) { return trip }
      now += 100 * millisecond
    }
    return nil
  }

  @Test(
    "unchanged within 0.01 °C for 10 s at |command| > 20 % trips; reading °C, limit the resolution")
  func stuck() throws {
    var check = StuckSensorCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    let trip = try #require(run(&check, command: -0.5, through: 20 * second) { _ in -11.97 })
    #expect(trip.check == .stuckSensor)
    #expect(trip.detectedNanoseconds == 10 * second)
    #expect(trip.measurement.quantity == .unchanged)
    #expect(trip.measurement.unit == .celsius)
    #expect(trip.reading == -11.97)
    #expect(trip.limit == 0.01)
    #expect(trip.measurement.spanSeconds == 10)
  }

  @Test("no trip while the command is low or the reading moves; reset forgets the reference")
  func noTrip() {
    var low = StuckSensorCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    #expect(run(&low, command: -0.1, through: 20 * second) { _ in -11.97 } == nil)
    var moving = StuckSensorCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    #expect(
      run(&moving, command: -0.5, through: 20 * second) { now in
        -12 + 0.02 * Double(now / (100 * millisecond) % 2)
      } == nil)
    let trip = TripRecord(
      check: .stuckSensor, subject: .sensor(0), measurement: .none, conditionSinceNanoseconds: 0,
      detectedNanoseconds: 0)
    #expect(low.persistenceNanoseconds(of: trip) == 10 * second)
  }
}
