import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("LoopOverrunCheck", .tags(.safety))
struct LoopOverrunCheckTests {
  @Test("a sixth overrun within 10 s trips, as a count; a 1.2 s stall trips at once, in seconds")
  func overruns() throws {
    var check = LoopOverrunCheck(SafetyConfiguration(mode: .cryolipolysis))
    var trip: TripRecord? = nil
    for k in 1...6 {
      let now = UInt64(k) * second
      check.note(nowNanoseconds: now, latenessNanoseconds: 100 * millisecond)
      var tick = componentTick(.beforeSensors, [fresh(-12, at: now)], at: now)
      trip = check.evaluate(&tick)
      if k < 6 { #expect(trip == nil) }
    }
    let counted = try #require(trip)
    #expect(counted.measurement.quantity == .overruns)
    #expect(counted.measurement.unit == .count)
    #expect(counted.reading == 6)
    #expect(counted.limit == 5)
    #expect(counted.measurement.spanSeconds == 10)
    var stalled = LoopOverrunCheck(SafetyConfiguration(mode: .cryolipolysis))
    stalled.note(nowNanoseconds: second, latenessNanoseconds: 1_200 * millisecond)
    var tick = componentTick(.beforeSensors, [fresh(-12, at: second)], at: second)
    let stallFound = stalled.evaluate(&tick)
    let stall = try #require(stallFound)
    #expect(stall.measurement.quantity == .lateness)
    #expect(stall.measurement.unit == .seconds)
    #expect(abs(stall.reading - 1.2) < 1e-12)
    #expect(stall.limit == 1)
  }

  @Test("nothing noted, nothing checked; only the stage before the sensors")
  func quiet() {
    var check = LoopOverrunCheck(SafetyConfiguration(mode: .cryolipolysis))
    check.note(nowNanoseconds: second, latenessNanoseconds: 5 * second)
    var after = componentTick(.afterSensors, [fresh(-12, at: second)], at: second)
    #expect(check.evaluate(&after) == nil)
    check.reset(nowNanoseconds: second)
    var before = componentTick(.beforeSensors, [fresh(-12, at: second)], at: second)
    #expect(check.evaluate(&before) == nil)
  }
}
