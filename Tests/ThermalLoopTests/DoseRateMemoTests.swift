import ApplicatorHAL
import ApplicatorSimulation
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("DoseRateMemo", .tags(.physics))
struct DoseRateMemoTests {
  @Test("the memo gives Dose.cem43Minutes bit for bit: repeats, slot collisions, both laws")
  func sameAsDose() {
    // Quantised readings (0.01 °C) around 30 °C and 45 °C, so that values
    // repeat (hits), more than sixteen distinct values share the slots
    // (collisions and evictions), and both sides of 43 °C occur.
    var random = SeededRandom(seed: 7)
    var memo = DoseRateMemo()
    for step in 0..<20_000 {
      let level = step % 2 == 0 ? 30.0 : 45.0
      let celsius =
        Elementary.roundedToNearest((level + 0.3 * random.nextGaussian()) / 0.01) * 0.01
      let seconds = 0.001 + random.nextUnit() * 0.5
      let expected = Dose.cem43Minutes(celsius: celsius, seconds: seconds)
      let memoised = memo.cem43Minutes(celsius: celsius, seconds: seconds)
      #expect(memoised.bitPattern == expected.bitPattern, "\(celsius) °C for \(seconds) s")
    }
    // Readings never seen, and the edge cases of the law.
    for celsius in [43.0, -0.0, 0.0, -40, 80, .nan, .infinity, -.infinity] {
      let expected = Dose.cem43Minutes(celsius: celsius, seconds: 1)
      let memoised = memo.cem43Minutes(celsius: celsius, seconds: 1)
      #expect(
        memoised.bitPattern == expected.bitPattern || (memoised.isNaN && expected.isNaN),
        "\(celsius) °C")
    }
  }
}
