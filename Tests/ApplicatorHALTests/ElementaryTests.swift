import ApplicatorHAL
import ApplicatorSimulation
import Foundation
import Testing

/// `Elementary` replaces libm on the embedded target; Foundation's (glibc's)
/// `exp`/`log` are the oracle. glibc documents both as accurate to better
/// than 1 ulp, i.e. a relative error below 2.3e-16, an order of magnitude
/// under the bounds `Elementary` documents (2e-15 and 1e-15), so the
/// documented bounds are asserted as they stand.
@Suite("Elementary")
struct ElementaryTests {
  private static func relativeError(_ value: Double, _ reference: Double) -> Double {
    abs(value - reference) / abs(reference)
  }

  @Test("exp: relative error below 2e-15 over the whole normal range")
  func expOverNormalRange() {
    // exp(x) is normal for x ≥ −708.39 and finite up to ln(greatestFiniteMagnitude).
    var worst = 0.0
    var worstX = 0.0
    var x = -708.3
    while x <= 709.78 {
      let error = Self.relativeError(Elementary.exp(x), Foundation.exp(x))
      if error > worst {
        worst = error
        worstX = x
      }
      x += 0.00731
    }
    #expect(worst < 2e-15, "worst relative error \(worst) at x = \(worstX)")
  }

  @Test("exp: relative error below 2e-15 near zero and at small arguments")
  func expNearZero() {
    var worst = 0.0
    for exponent in -60...0 {
      for mantissa in [1.0, 1.234_567, 1.5, 1.999_999] {
        for sign in [1.0, -1.0] {
          let x = sign * mantissa * Double(sign: .plus, exponent: exponent, significand: 1)
          worst = max(worst, Self.relativeError(Elementary.exp(x), Foundation.exp(x)))
        }
      }
    }
    #expect(worst < 2e-15)
    #expect(Elementary.exp(0) == 1)
    #expect(Elementary.exp(-0.0) == 1)
  }

  @Test("exp: at the overflow edge, finite up to ln(greatestFiniteMagnitude), then +infinity")
  func expOverflowEdge() {
    // ln(Double.greatestFiniteMagnitude) = 709.782712893383973...
    for x in [709.0, 709.5, 709.78, 709.782, 709.7825, 709.7827, 709.782_712_893_38] {
      let reference = Foundation.exp(x)
      #expect(reference.isFinite)
      let value = Elementary.exp(x)
      #expect(value.isFinite, "exp(\(x)) must be finite")
      #expect(Self.relativeError(value, reference) < 2e-15, "x = \(x)")
    }
    for x in [709.782_712_893_385, 709.79, 710.0, 1000.0, Double.greatestFiniteMagnitude] {
      #expect(Elementary.exp(x) == .infinity, "x = \(x)")
    }
  }

  @Test("exp: subnormal results within one ulp of the correctly rounded value, then 0")
  func expUnderflowEdge() {
    // Below x ≈ −708.4 the result is subnormal: it keeps fewer bits than a
    // normal double, so the bound is one unit in the last place of the result.
    var x = -745.13
    while x < -708.4 {
      let reference = Foundation.exp(x)
      let value = Elementary.exp(x)
      #expect(abs(value - reference) <= reference.ulp, "x = \(x)")
      x += 0.0173
    }
    // exp(−745.14) is below half the smallest subnormal: it rounds to 0.
    for x in [-745.14, -745.2, -746.0, -1000.0, -Double.greatestFiniteMagnitude] {
      #expect(Elementary.exp(x) == 0, "x = \(x)")
    }
  }

  @Test("exp: NaN and infinities")
  func expEdges() {
    #expect(Elementary.exp(.nan).isNaN)
    #expect(Elementary.exp(.infinity) == .infinity)
    #expect(Elementary.exp(-.infinity) == 0)
  }

  @Test("log: relative error below 1e-15 from the smallest normal to the largest finite")
  func logOverRange() {
    var worst = 0.0
    var worstX = 0.0
    // Log-uniform sweep: every binade, many significands per binade.
    for exponent in -1022...1023 {
      for step in 0..<37 {
        let significand = 1 + Double(step) / 37 + 0.001_234_5
        let x = Double(sign: .plus, exponent: exponent, significand: significand)
        guard x.isFinite else { continue }
        let error = Self.relativeError(Elementary.log(x), Foundation.log(x))
        if error > worst {
          worst = error
          worstX = x
        }
      }
    }
    #expect(worst < 1e-15, "worst relative error \(worst) at x = \(worstX)")
  }

  @Test("log: relative error below 1e-15 close to 1, where the result is small")
  func logNearOne() {
    var worst = 0.0
    for exponent in -52...(-1) {
      let delta = Double(sign: .plus, exponent: exponent, significand: 1.372_1)
      for x in [1 + delta, 1 - delta / 2] {
        worst = max(worst, Self.relativeError(Elementary.log(x), Foundation.log(x)))
      }
    }
    // Around the √2 switch of the reduction and across 1.
    var x = 0.5
    while x < 2.5 {
      if x != 1 { worst = max(worst, Self.relativeError(Elementary.log(x), Foundation.log(x))) }
      x += 0.000_137
    }
    #expect(worst < 1e-15)
    #expect(Elementary.log(1) == 0)
  }

  @Test("log: subnormal arguments")
  func logSubnormal() {
    for x in [
      Double.leastNonzeroMagnitude, Double(sign: .plus, exponent: -1030, significand: 1),
      Double.leastNonzeroMagnitude * 6_679, Double.leastNormalMagnitude / 3,
    ] {
      #expect(Self.relativeError(Elementary.log(x), Foundation.log(x)) < 1e-15, "x = \(x)")
    }
  }

  @Test("log: zero, negatives, NaN and infinities")
  func logEdges() {
    #expect(Elementary.log(0) == -.infinity)
    #expect(Elementary.log(-0.0) == -.infinity)
    #expect(Elementary.log(-1).isNaN)
    #expect(Elementary.log(-Double.leastNonzeroMagnitude).isNaN)
    #expect(Elementary.log(.nan).isNaN)
    #expect(Elementary.log(.infinity) == .infinity)
    #expect(Elementary.log(-.infinity).isNaN)
  }

  @Test("exp and log invert each other")
  func roundTrip() {
    var x = -700.0
    while x < 700 {
      let back = Elementary.log(Elementary.exp(x))
      // d(log)/dx = 1/y: the 2e-15 relative error of exp becomes an absolute
      // 2e-15 in log, plus log's own 1e-15 relative error of |x|.
      #expect(abs(back - x) <= 2e-15 + 1e-15 * abs(x) + x.ulp, "x = \(x)")
      x += 3.7
    }
  }

  @Test(
    "roundedToNearest: nearest integer, halves away from zero",
    arguments: [
      (2.4, 2.0), (2.5, 3.0), (2.6, 3.0), (-2.4, -2.0), (-2.5, -3.0), (-2.6, -3.0),
      (0.0, 0.0), (0.5, 1.0), (-0.5, -1.0),
      // The largest double below one half: x + 0.5 rounds up to 1 in binary64,
      // a naive floor(x + 0.5) gives 1; the nearest integer is 0.
      (0.499_999_999_999_999_94, 0.0), (-0.499_999_999_999_999_94, 0.0),
      (1.499_999_999_999_999_8, 1.0), (4_503_599_627_370_495.5, 4_503_599_627_370_496.0),
      (-4_503_599_627_370_495.5, -4_503_599_627_370_496.0),
      (4_503_599_627_370_497.0, 4_503_599_627_370_497.0), (1e300, 1e300), (-1e300, -1e300),
    ])
  func roundedToNearestTable(_ x: Double, _ expected: Double) {
    #expect(Elementary.roundedToNearest(x) == expected)
  }

  @Test("roundedToNearest agrees with the standard library's rule on a wide sample")
  func roundedToNearestSweep() {
    var random = SeededRandom(seed: 42)
    for _ in 0..<20_000 {
      let magnitude = Double(sign: .plus, exponent: Int(random.nextBits() % 60) - 8, significand: 1)
      let x = (random.nextUnit() * 2 - 1) * magnitude
      #expect(Elementary.roundedToNearest(x) == x.rounded(.toNearestOrAwayFromZero), "x = \(x)")
    }
    // Every integer and every exact half from −50 to 50.
    for twice in -100...100 {
      let x = Double(twice) / 2
      #expect(Elementary.roundedToNearest(x) == x.rounded(.toNearestOrAwayFromZero))
    }
  }

  @Test(
    "roundedUp: smallest integer not below x",
    arguments: [
      (2.1, 3.0), (2.0, 2.0), (-2.1, -2.0), (-2.0, -2.0), (0.3, 1.0), (-0.3, 0.0),
      (1e-300, 1.0), (-1e-300, 0.0), (4_503_599_627_370_495.5, 4_503_599_627_370_496.0),
      (9_007_199_254_740_994.0, 9_007_199_254_740_994.0), (1e300, 1e300),
    ])
  func roundedUpTable(_ x: Double, _ expected: Double) {
    #expect(Elementary.roundedUp(x) == expected)
  }

  @Test("roundedUp agrees with the standard library's rule on a wide sample")
  func roundedUpSweep() {
    var random = SeededRandom(seed: 7)
    for _ in 0..<20_000 {
      let magnitude = Double(sign: .plus, exponent: Int(random.nextBits() % 60) - 8, significand: 1)
      let x = (random.nextUnit() * 2 - 1) * magnitude
      #expect(Elementary.roundedUp(x) == x.rounded(.up), "x = \(x)")
    }
  }

  @Test("rounding: NaN stays NaN, infinities stay")
  func roundingEdges() {
    #expect(Elementary.roundedToNearest(.nan).isNaN)
    #expect(Elementary.roundedUp(.nan).isNaN)
    #expect(Elementary.roundedToNearest(.infinity) == .infinity)
    #expect(Elementary.roundedToNearest(-.infinity) == -.infinity)
    #expect(Elementary.roundedUp(.infinity) == .infinity)
    #expect(Elementary.roundedUp(-.infinity) == -.infinity)
  }
}
