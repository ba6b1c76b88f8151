import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("RateOfChangeCheck", .tags(.safety))
struct RateOfChangeCheckTests {
  @Test("a fitted rise of 3 °C/s beyond the 2 °C/s limit trips; reading in °C/s over the 1 s fit")
  func rise() throws {
    var check = RateOfChangeCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    let found = runComponent(&check, from: 0, through: 5 * second) { now in
      componentTick(.sensor(0), [fresh(-12 + 3 * Double(now) * 1e-9, at: now)], at: now)
    }
    let trip = try #require(found)
    #expect(trip.check == .rateOfChange)
    #expect(trip.measurement.quantity == .slope)
    #expect(trip.measurement.unit == .celsiusPerSecond)
    #expect(abs(trip.reading - 3) < 1e-9)
    #expect(trip.limit == 2)
    #expect(trip.measurement.spanSeconds == 1)
    // The first slope needs samples over nine tenths of the 1 s window.
    #expect(trip.detectedNanoseconds == 900 * millisecond)
    #expect(check.persistenceNanoseconds(of: trip) == 0)
  }

  @Test("a fall beyond the limit reports the negative fall limit; monitors are not watched")
  func fallAndMonitor() throws {
    var check = RateOfChangeCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    let found = runComponent(&check, from: 0, through: 5 * second) { now in
      componentTick(.sensor(0), [fresh(20 - 3 * Double(now) * 1e-9, at: now)], at: now)
    }
    #expect(found?.limit == -2)
    var monitor = RateOfChangeCheck(
      SafetyConfiguration(mode: .cryolipolysis), sensors: inlineSensors(cryoSensors), count: 3)
    let none = runComponent(&monitor, from: 0, through: 5 * second) { now in
      let hot = 20 + 5 * Double(now) * 1e-9
      return componentTick(.sensor(1), [fresh(-12, at: now), fresh(hot, at: now)], at: now)
    }
    #expect(none == nil)
  }
}
