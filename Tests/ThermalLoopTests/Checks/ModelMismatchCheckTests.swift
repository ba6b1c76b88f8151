import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("ModelMismatchCheck", .tags(.safety))
struct ModelMismatchCheckTests {
  @Test("2.5 °C off the prediction for 10 s once armed trips; limit the prediction minus 2 °C")
  func mismatch() throws {
    var check = ModelMismatchCheck(SafetyConfiguration(mode: .cryolipolysis))
    let found = runComponent(&check, from: 0, through: 30 * second) { now in
      componentTick(.afterSensors, [fresh(-14.5, at: now)], at: now, prediction: -12, isArmed: true)
    }
    let trip = try #require(found)
    #expect(trip.check == .modelMismatch)
    #expect(trip.detectedNanoseconds == 10 * second)
    #expect(trip.measurement == .temperature(celsius: -14.5, limitCelsius: -14))
    #expect(check.persistenceNanoseconds(of: trip) == 10 * second)
  }

  @Test("off without a prediction or before arming")
  func off() {
    var check = ModelMismatchCheck(SafetyConfiguration(mode: .cryolipolysis))
    #expect(
      runComponent(&check, from: 0, through: 30 * second) { now in
        componentTick(
          .afterSensors, [fresh(-14.5, at: now)], at: now, prediction: nil, isArmed: true)
      } == nil)
    #expect(
      runComponent(&check, from: 0, through: 30 * second) { now in
        componentTick(
          .afterSensors, [fresh(-14.5, at: now)], at: now, prediction: -12, isArmed: false)
      } == nil)
  }
}
