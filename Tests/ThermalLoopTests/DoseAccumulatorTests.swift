import ApplicatorHAL
import TestSupport
import Testing
import ThermalLoop

@Suite("DoseAccumulator", .tags(.physics))
struct DoseAccumulatorTests {
  private let plausible = TemperatureWindow(lowCelsius: -40, highCelsius: 80)

  @Test("sample-and-hold: 10 min held at 44 °C is 20 CEM43 min; the law is Dose's")
  func heat() {
    var dose = DoseAccumulator(probeIndex: 0)
    for k in 0...600 {
      let now = UInt64(k) * second
      dose.accrue(snapshot([fresh(44, at: now)]), plausible: plausible, nowNanoseconds: now)
    }
    #expect(abs(dose.cem43Minutes - 20) < 1e-11 * 20)
    #expect(abs(dose.cem43Minutes - Dose.cem43Minutes(celsius: 44, seconds: 600)) < 1e-9)
    #expect(dose.minutesAtOrBelowLipidThreshold == 0)
  }

  @Test(
    "cold: minutes at or below +10 °C; a tick without a plausible reading counts nothing after it")
  func cold() {
    var dose = DoseAccumulator(probeIndex: 1)
    for k in 0...120 {
      let now = UInt64(k) * second
      // Slot 1 at 8 °C, except an open probe (−60 °C) over 30 … 59 s.
      let fat = k >= 30 && k < 60 ? -60.0 : 8.0
      dose.accrue(
        snapshot([fresh(-12, at: now), fresh(fat, at: now)]), plausible: plausible,
        nowNanoseconds: now)
    }
    // Held over (0, 30] and (60, 120]: 90 s.
    #expect(abs(dose.minutesAtOrBelowLipidThreshold - 1.5) < 1e-12)
    #expect(Dose.lipidCrystallisationCelsius == 10)
  }

  @Test("no probe, no dose")
  func noProbe() {
    var dose = DoseAccumulator(probeIndex: -1)
    for k in 0...10 {
      let now = UInt64(k) * second
      dose.accrue(snapshot([fresh(47, at: now)]), plausible: plausible, nowNanoseconds: now)
    }
    #expect(dose.cem43Minutes == 0)
  }
}
