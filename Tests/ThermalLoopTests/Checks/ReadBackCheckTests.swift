import ApplicatorHAL
import TestSupport
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

  @Test(
    "a read-back that fails (ERR, not-a-number, a failed fetch) never confirms the output: it trips at the stale-data time",
    arguments: [FaultKind.protocolError, .faultFlag, .timedOut])
  func failedReadsTrip(fault: FaultKind) throws {
    var check = ReadBackCheck(SafetyConfiguration(mode: .laserLipolysis))
    let found = runComponent(&check, from: 0, through: 2 * second) { now in
      componentTick(
        .afterSensors, [fresh(46, at: now)], at: now, command: 0.6, readBack: nil,
        readBackFault: fault)
    }
    let trip = try #require(found)
    #expect(trip.check == .actuatorReadBack)
    // The stale-data trip time (1 s), the longer of it and the read-back persistence (0.5 s).
    #expect(trip.detectedNanoseconds == 1 * second)
    #expect(trip.measurement.quantity == .unconfirmed)
    #expect(trip.measurement.unit == .seconds)
    #expect(trip.reading == 1 && trip.limit == 1)
    #expect(check.persistenceNanoseconds(of: trip) == 1 * second)
  }

  @Test("failed reads between mismatches never reset the timer (a rig failing every second fetch)")
  func failedReadsDoNotResetTheTimer() throws {
    var check = ReadBackCheck(SafetyConfiguration(mode: .laserLipolysis))
    var tick = 0
    let found = runComponent(&check, from: 0, through: 2 * second) { now in
      tick += 1
      return componentTick(
        .afterSensors, [fresh(46, at: now)], at: now, command: 0.05,
        readBack: tick % 2 == 0 ? 0.9 : nil, readBackFault: tick % 2 == 0 ? nil : .protocolError)
    }
    let trip = try #require(found)
    #expect(trip.detectedNanoseconds == 500 * millisecond)
  }
}
