import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("StaleDataCheck", .tags(.safety))
struct StaleDataCheckTests {
  private let sensors = inlineSensors(cryoSensors)

  @Test("holds off at 300 ms without a new sample, trips at 1 s; the reading is the age in seconds")
  func holdThenTrip() throws {
    var check = StaleDataCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: sensors, count: 1)
    var first = componentTick(.beforeSensors, [fresh(-12, at: 0)], at: 0, isFirst: true)
    #expect(check.evaluate(&first) == nil)
    var holdSeen: UInt64? = nil
    var trip: TripRecord? = nil
    var now: UInt64 = 0
    while trip == nil && now <= 2 * second {
      // A new sample at 0 only; every later tick repeats it.
      let reading = now == 0 ? fresh(-12, at: 0) : repeated(-12, takenAt: 0)
      var tick = componentTick(.sensor(0), [reading], at: now)
      trip = check.evaluate(&tick)
      if tick.hold && holdSeen == nil { holdSeen = now }
      now += 100 * millisecond
    }
    #expect(holdSeen == 300 * millisecond)
    let found = try #require(trip)
    #expect(found.check == .staleData)
    #expect(found.subject == .sensor(0))
    #expect(found.detectedNanoseconds == second)
    #expect(found.conditionSinceNanoseconds == 0)
    #expect(found.measurement.quantity == .age)
    #expect(found.measurement.unit == .seconds)
    #expect(found.reading == 1)
    #expect(found.limit == 1)
  }

  @Test("three of a slow sensor's own periods set the hold, and the trip when longer than 1 s")
  func ownPeriod() {
    let slow = inlineSensors([
      SensorDescriptor(site: .plate, role: .control, periodNanoseconds: 500 * millisecond)
    ])
    var check = StaleDataCheck(SafetyConfiguration(mode: .cryolipolysis), sensors: slow, count: 1)
    #expect(check.holdAfterNanoseconds(0) == 1_500 * millisecond)
    let trip = TripRecord(
      check: .staleData, subject: .sensor(0), measurement: .none, conditionSinceNanoseconds: 0,
      detectedNanoseconds: 0)
    #expect(check.persistenceNanoseconds(of: trip) == 1_500 * millisecond)
  }

  @Test(
    "the cause stays while no new sample comes; a new sample clears it; reset restarts the timers")
  func causeAndReset() {
    var check = StaleDataCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: sensors, count: 1)
    let trip = TripRecord(
      check: .staleData, subject: .sensor(0), measurement: .none, conditionSinceNanoseconds: 0,
      detectedNanoseconds: second)
    var stale = componentTick(.afterSensors, [repeated(-12, takenAt: 0)], at: 2 * second)
    #expect(check.isCausePresent(of: trip, &stale) == true)
    var back = componentTick(.afterSensors, [fresh(-12, at: 3 * second)], at: 3 * second)
    #expect(check.isCausePresent(of: trip, &back) == false)
    check.reset(nowNanoseconds: 10 * second)
    var later = componentTick(.sensor(0), [repeated(-12, takenAt: 0)], at: 10_200 * millisecond)
    #expect(check.evaluate(&later) == nil)
    #expect(!later.hold)
    let other = TripRecord(
      check: .interlock, subject: .interlock(.contact), measurement: .none,
      conditionSinceNanoseconds: 0, detectedNanoseconds: 0)
    #expect(check.isCausePresent(of: other, &later) == nil)
    #expect(check.persistenceNanoseconds(of: other) == nil)
  }
}
