import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("HardLimitCheck", .tags(.safety))
struct HardLimitCheckTests {
  private let sensors = inlineSensors(cryoSensors)

  @Test("cryo plate at or below −16 °C for 0.3 s is hard-low; reading and threshold in °C")
  func hardLow() throws {
    var check = HardLimitCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: sensors, count: 3)
    let found = runComponent(&check, from: 0, through: second) { now in
      componentTick(
        .sensor(0), [fresh(-16, at: now), fresh(30, at: now), fresh(20, at: now)], at: now)
    }
    let trip = try #require(found)
    #expect(trip.check == .hardLow)
    #expect(trip.detectedNanoseconds == 300 * millisecond)
    #expect(trip.measurement == .temperature(celsius: -16, limitCelsius: -16))
    #expect(check.persistenceNanoseconds(of: trip) == 300 * millisecond)
  }

  @Test("the plate's +15 °C applies only once armed in treatment; the hot side's 60 °C always")
  func armedOnly() {
    var check = HardLimitCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: sensors, count: 3)
    let hot = [fresh(20, at: 0), fresh(30, at: 0), fresh(20, at: 0)]
    var unarmed = componentTick(.sensor(0), hot, at: 0)
    #expect(check.evaluate(&unarmed) == nil)
    var armed = componentTick(.sensor(0), hot, at: 100 * millisecond, isArmed: true)
    let trip = check.evaluate(&armed)
    #expect(trip?.check == .hardHigh)
    #expect(trip?.limit == 15)
    var check2 = HardLimitCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: sensors, count: 3)
    let found = runComponent(&check2, from: 0, through: second) { now in
      componentTick(
        .sensor(1), [fresh(-12, at: now), fresh(61, at: now), fresh(20, at: now)], at: now)
    }
    #expect(found?.check == .hardHigh)
    #expect(found?.subject == .sensor(1))
    #expect(found?.measurement == .temperature(celsius: 61, limitCelsius: 60))
  }
}
