import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("OutOfWindowCheck", .tags(.safety))
struct OutOfWindowCheckTests {
  @Test(
    "arms at the first entry; outside the window widened by 1 °C for 20 s trips; limit the edge")
  func armThenTrip() throws {
    var check = OutOfWindowCheck(SafetyConfiguration(mode: .cryolipolysis))
    var armed = false
    var found: TripRecord? = nil
    var now: UInt64 = 0
    while found == nil && now <= 60 * second {
      // Approach from room temperature (never trips unarmed), in at 5 s, out to −9 °C at 10 s.
      let plate = now < 5 * second ? 20.0 : (now < 10 * second ? -12 : -9)
      var tick = componentTick(.afterSensors, [fresh(plate, at: now)], at: now, isArmed: armed)
      found = check.evaluate(&tick)
      armed = tick.isArmed
      if now == 4 * second { #expect(!armed) }
      now += 100 * millisecond
    }
    let trip = try #require(found)
    #expect(armed)
    #expect(trip.check == .outOfWindow)
    #expect(trip.conditionSinceNanoseconds == 10 * second)
    #expect(trip.detectedNanoseconds == 30 * second)
    #expect(trip.measurement == .temperature(celsius: -9, limitCelsius: -10))
    #expect(check.persistenceNanoseconds(of: trip) == 20 * second)
  }

  @Test("outside treatment phases nothing arms and the timer clears")
  func transition() {
    var check = OutOfWindowCheck(SafetyConfiguration(mode: .cryolipolysis))
    var tick = componentTick(.afterSensors, [fresh(-12, at: 0)], at: 0, phaseKind: .transition)
    #expect(check.evaluate(&tick) == nil)
    #expect(!tick.isArmed)
  }
}
