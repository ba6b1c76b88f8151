import DevsimKit
import Testing
import ThermalLoop

@Suite("Trip measurement text")
struct TripMeasurementTextTests {
  @Test("each reading is printed with its unit and what it is a reading of")
  func words() {
    #expect(
      Summary.measurement(.rise(celsius: 0.8, limitCelsius: 0.5, spanSeconds: 10))
        == "reading 0.80 °C rise in 10 s, limit 0.50 °C")
    #expect(
      Summary.measurement(.temperature(celsius: -16.2, limitCelsius: -16))
        == "reading -16.20 °C, limit -16.00 °C")
    #expect(
      Summary.measurement(.slope(celsiusPerSecond: 2.1, limitCelsiusPerSecond: 2, spanSeconds: 1))
        == "reading 2.10 °C/s over 1 s, limit 2.00 °C/s")
    #expect(
      Summary.measurement(.difference(celsius: 1.7, limitCelsius: 1.5))
        == "reading 1.70 °C apart, limit 1.50 °C")
    #expect(
      Summary.measurement(.unchanged(celsius: -11.97, resolutionCelsius: 0.01, spanSeconds: 10))
        == "reading -11.97 °C unchanged for 10 s, limit 0.01 °C resolution")
    #expect(
      Summary.measurement(.seconds(.age, seconds: 1, limitSeconds: 1))
        == "reading 1.00 s without a new sample, limit 1.00 s")
    #expect(
      Summary.measurement(.output(fraction: 0, limitFraction: 0.4))
        == "reading 0.00 of full scale, limit 0.40 of full scale")
    #expect(
      Summary.measurement(.dose(cem43Minutes: 441.25, limitCem43Minutes: 440))
        == "reading 441.25 CEM43 min, limit 440.00 CEM43 min")
    #expect(
      Summary.measurement(.overruns(count: 6, limit: 5, spanSeconds: 10))
        == "reading 6 overruns in 10 s, limit 5")
    #expect(Summary.measurement(.none) == "")
  }

  @Test("an interlock trip names its cause: contact, coolant flow, key switch, or the read fault")
  func interlockCauses() throws {
    let profile = try RigEmulator.defaultProfile()
    #expect(Summary.subject(.interlock(.contact), profile) == " (contact)")
    #expect(Summary.subject(.interlock(.coolant), profile) == " (coolant flow)")
    #expect(Summary.subject(.interlock(.keySwitch), profile) == " (key switch off)")
    #expect(
      Summary.subject(.interlocksUnreadable(.io), profile) == " (interlocks unreadable: io)")
    #expect(
      Summary.subject(.interlocksUnreadable(.timedOut), profile)
        == " (interlocks unreadable: timed-out)")
  }
}
