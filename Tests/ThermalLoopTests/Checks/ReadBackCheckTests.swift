import ApplicatorHAL
import Testing

@testable import ThermalLoop

@Suite("ReadBackCheck", .tags(.safety))
struct ReadBackCheckTests {
  @Test(
    "measured 0 at a command of 0.6 for 0.5 s trips; reading and limit in fractions of full scale")
  func mismatch() throws {
    var check = ReadBackCheck(SafetyConfiguration(mode: .laserLipolysis))
    let found = runComponent(&check, from: 0, through: 2 * second) { now in
      componentTick(.afterSensors, [fresh(46, at: now)], at: now, command: 0.6, readBack: 0)
    }
    let trip = try #require(found)
    #expect(trip.check == .actuatorReadBack)
    #expect(trip.subject == .powerStage)
    #expect(trip.detectedNanoseconds == 500 * millisecond)
    #expect(trip.measurement.unit == .fraction)
    #expect(trip.measurement.quantity == .output)
    #expect(trip.reading == 0)
    #expect(abs(trip.limit - 0.4) < 1e-12)
    #expect(check.persistenceNanoseconds(of: trip) == 500 * millisecond)
  }

  @Test("within the tolerance, or without a read-back, nothing trips")
  func quiet() {
    var check = ReadBackCheck(SafetyConfiguration(mode: .laserLipolysis))
    #expect(
      runComponent(&check, from: 0, through: 2 * second) { now in
        componentTick(.afterSensors, [fresh(46, at: now)], at: now, command: 0.6, readBack: 0.45)
      } == nil)
    #expect(
      runComponent(&check, from: 0, through: 2 * second) { now in
        componentTick(.afterSensors, [fresh(46, at: now)], at: now, command: 0.6, readBack: nil)
      } == nil)
  }
}
