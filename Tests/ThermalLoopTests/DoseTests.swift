import ApplicatorHAL
import TestSupport
import Testing
import ThermalLoop

/// CEM43 (Sapareto–Dewey): minutes × R^(43 − T), R = 0.5 at or above 43 °C,
/// 0.25 below. Expected values are powers of two, exact; the tolerance
/// covers `Elementary.exp`'s documented 2e-15 and a few roundings.
@Suite("Dose", .tags(.physics))
struct DoseTests {
  private static let relativeTolerance = 1e-14

  @Test(
    "CEM43 per minute at constant temperature",
    arguments: [
      (43.0, 1.0), (44.0, 2.0), (42.0, 0.25), (45.0, 4.0), (46.0, 8.0), (47.0, 16.0),
      (41.0, 1.0 / 16), (40.0, 1.0 / 64), (37.0, 1.0 / 4096), (43.5, 2.0.squareRoot()),
    ] as [(Double, Double)])
  func perMinute(celsius: Double, expected: Double) {
    let dose = Dose.cem43Minutes(celsius: celsius, seconds: 60)
    #expect(abs(dose - expected) <= Self.relativeTolerance * expected)
  }

  @Test("one minute at 43 °C is one equivalent minute; dose scales with time")
  func scalesWithTime() {
    #expect(abs(Dose.cem43Minutes(celsius: 43, seconds: 60) - 1) < 1e-15)
    #expect(abs(Dose.cem43Minutes(celsius: 44, seconds: 30) - 1) < Self.relativeTolerance)
    #expect(abs(Dose.cem43Minutes(celsius: 42, seconds: 240) - 1) < Self.relativeTolerance)
    #expect(Dose.cem43Minutes(celsius: 45, seconds: 0) == 0)
  }

  @Test("a treatment held at the window's upper edge (47 °C, 25 min) accrues 400 equivalent min")
  func planAtUpperEdge() {
    // safety.md: the dose plan is the dose of holding the upper edge for the hold.
    let dose = Dose.cem43Minutes(celsius: 47, seconds: 25 * 60)
    #expect(abs(dose - 400) <= Self.relativeTolerance * 400)
    // Holding one degree lower halves it.
    let lower = Dose.cem43Minutes(celsius: 46, seconds: 25 * 60)
    #expect(abs(dose / lower - 2) < Self.relativeTolerance)
  }

  @Test("the rate is continuous at 43 °C and monotonic in temperature")
  func monotonic() {
    var previous = 0.0
    var t = 30.0
    while t <= 50 {
      let dose = Dose.cem43Minutes(celsius: t, seconds: 60)
      #expect(dose > previous)
      previous = dose
      t += 0.05
    }
    let below = Dose.cem43Minutes(celsius: 43 - 1e-9, seconds: 60)
    #expect(abs(below - 1) < 1e-8)
  }
}
