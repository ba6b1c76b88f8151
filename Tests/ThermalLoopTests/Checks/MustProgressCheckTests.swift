import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("MustProgressCheck", .tags(.safety))
struct MustProgressCheckTests {
  @Test(
    "full cooling toward a far target without a 1 °C fall in 30 s trips; limit the temperature due")
  func noProgress() throws {
    var check = MustProgressCheck(SafetyConfiguration(mode: .cryolipolysis))
    let found = runComponent(&check, from: 0, through: 60 * second) { now in
      componentTick(
        .afterSensors, [fresh(20 - 0.01 * Double(now) * 1e-9, at: now)], at: now, command: -1)
    }
    let trip = try #require(found)
    #expect(trip.check == .mustProgress)
    #expect(trip.detectedNanoseconds == 30 * second)
    #expect(trip.measurement.quantity == .temperature)
    #expect(trip.measurement.unit == .celsius)
    #expect(abs(trip.reading - 19.7) < 1e-9)
    #expect(trip.limit == 19)
    #expect(check.persistenceNanoseconds(of: trip) == 30 * second)
  }

  @Test("a plate that falls 1 °C per 20 s keeps the check quiet; so does a weak command")
  func progress() {
    var falling = MustProgressCheck(SafetyConfiguration(mode: .cryolipolysis))
    #expect(
      runComponent(&falling, from: 0, through: 120 * second) { now in
        componentTick(
          .afterSensors, [fresh(20 - 0.05 * Double(now) * 1e-9, at: now)], at: now, command: -1)
      } == nil)
    var weak = MustProgressCheck(SafetyConfiguration(mode: .cryolipolysis))
    #expect(
      runComponent(&weak, from: 0, through: 120 * second) { now in
        componentTick(.afterSensors, [fresh(20, at: now)], at: now, command: -0.5)
      } == nil)
  }
}
