import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("FreezeCheck", .tags(.safety))
struct FreezeCheckTests {
  @Test(
    "a 0.5 °C rise within 10 s at unchanged cooling, followed by the redundant sensor, trips; the reading is the rise"
  )
  func freeze() throws {
    var check = FreezeCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(plateWithRedundant),
      count: plateWithRedundant.count)
    let found = runComponent(&check, from: 0, through: 30 * second) { now in
      let t = now > 9 * second ? Double(now - 9 * second) * 1e-9 : 0
      return componentTick(
        .afterSensors,
        [
          fresh(-12 + 0.12 * t, at: now), fresh(30, at: now), fresh(20, at: now),
          fresh(-12 + 0.1 * t, at: now),
        ], at: now, command: -0.4, isArmed: true)
    }
    let trip = try #require(found)
    #expect(trip.check == .freezeDetected)
    #expect(trip.detectedNanoseconds == 13_200 * millisecond)
    #expect(trip.conditionSinceNanoseconds == 9 * second)
    // Not the plate's −11.50 °C: the rise, in °C, against the rise that counts.
    #expect(trip.measurement.quantity == .rise)
    #expect(trip.measurement.unit == .celsius)
    #expect(abs(trip.reading - 0.504) < 1e-9)
    #expect(trip.limit == 0.5)
    #expect(trip.measurement.spanSeconds == 10)
    #expect(check.persistenceNanoseconds(of: trip) == 10 * second)
  }

  @Test("off unless armed; off in laser mode")
  func gating() {
    var unarmed = FreezeCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    #expect(
      runComponent(&unarmed, from: 0, through: 30 * second) { now in
        componentTick(
          .afterSensors, [fresh(-12 + 0.2 * Double(now) * 1e-9, at: now)], at: now, command: -0.4)
      } == nil)
    var laser = FreezeCheck(
      SafetyConfiguration(mode: .laserLipolysis), sensors: inlineSensors(laserSensors), count: 2)
    #expect(!laser.isEnabled)
    #expect(
      runComponent(&laser, from: 0, through: 30 * second) { now in
        componentTick(
          .afterSensors,
          [fresh(46 + 0.2 * Double(now) * 1e-9, at: now)], at: now, targetCelsius: 46,
          window: laserWindow, isArmed: true)
      } == nil)
  }
}
