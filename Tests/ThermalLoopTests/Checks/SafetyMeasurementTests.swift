import Testing
import ThermalLoop

@Suite("SafetyMeasurement")
struct SafetyMeasurementTests {
  @Test("each quantity carries its unit")
  func units() {
    #expect(SafetyMeasurement.temperature(celsius: -16.2, limitCelsius: -16).unit == .celsius)
    #expect(SafetyMeasurement.difference(celsius: 1.7, limitCelsius: 1.5).unit == .celsius)
    #expect(
      SafetyMeasurement.slope(celsiusPerSecond: 2.1, limitCelsiusPerSecond: 2, spanSeconds: 1).unit
        == .celsiusPerSecond)
    #expect(
      SafetyMeasurement.rise(celsius: 0.8, limitCelsius: 0.5, spanSeconds: 10).unit == .celsius)
    #expect(SafetyMeasurement.seconds(.age, seconds: 1, limitSeconds: 1).unit == .seconds)
    #expect(SafetyMeasurement.output(fraction: 0, limitFraction: 0.4).unit == .fraction)
    #expect(SafetyMeasurement.elapsed(minutes: 39, limitMinutes: 38.5).unit == .minutes)
    #expect(
      SafetyMeasurement.dose(cem43Minutes: 441, limitCem43Minutes: 440).unit == .cem43Minutes)
    #expect(SafetyMeasurement.overruns(count: 6, limit: 5, spanSeconds: 10).unit == .count)
    #expect(SafetyMeasurement.none.unit == .none)
    #expect(SafetyMeasurement.none.value.isNaN)
  }

  @Test("unit symbols")
  func symbols() {
    #expect("\(SafetyUnit.celsius.symbol)" == "°C")
    #expect("\(SafetyUnit.celsiusPerSecond.symbol)" == "°C/s")
    #expect("\(SafetyUnit.cem43Minutes.symbol)" == "CEM43 min")
  }
}
