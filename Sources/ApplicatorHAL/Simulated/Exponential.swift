/// Elementary functions the core needs, written here because Embedded Swift
/// has no `exp`/`log`/`pow` and the host and the target must share one code path.
public enum Elementary {
  private static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

  /// e^x, with a relative error below 2e-15 over the whole finite range.
  ///
  /// Range reduction x = k·ln 2 + r with |r| ≤ ln2/2, then a degree-13 Taylor
  /// polynomial in r (truncation error < 3e-17), then scaling by 2^k.
  /// Returns 0 below −745 and +infinity above 709.8; NaN stays NaN.
  public static func exp(_ x: Double) -> Double {
    guard x == x else { return x }
    if x > 709.782 { return .infinity }
    if x < -745.2 { return 0 }
    let k = roundedToNearest(x / ln2)
    let r = x - k * ln2
    var term = 1.0
    var sum = 1.0
    var n = 1.0
    while n <= 13 {
      term *= r / n
      sum += term
      n += 1
    }
    return scaleByPowerOfTwo(sum, Int(k))
  }

  /// The integer nearest to `x` (halves away from zero), computed without
  /// libm so the core links on a bare target; values beyond 2^52 are
  /// already integers and come back unchanged, NaN stays NaN.
  public static func roundedToNearest(_ x: Double) -> Double {
    guard abs(x) < 4_503_599_627_370_496 else { return x }
    return Double(Int64(x + (x < 0 ? -0.5 : 0.5)))
  }

  /// The smallest integer not below `x`, without libm (see ``roundedToNearest(_:)``).
  public static func roundedUp(_ x: Double) -> Double {
    guard abs(x) < 4_503_599_627_370_496 else { return x }
    let truncated = Double(Int64(x))
    return truncated < x ? truncated + 1 : truncated
  }

  /// x·2^k without overflow in the intermediate steps.
  private static func scaleByPowerOfTwo(_ x: Double, _ k: Int) -> Double {
    var value = x
    var remaining = k
    while remaining > 1000 {
      value *= Double(sign: .plus, exponent: 1000, significand: 1)
      remaining -= 1000
    }
    while remaining < -1000 {
      value *= Double(sign: .plus, exponent: -1000, significand: 1)
      remaining += 1000
    }
    return value * Double(sign: .plus, exponent: remaining, significand: 1)
  }

  /// The natural logarithm of a positive finite x, relative error below 1e-15.
  ///
  /// x = m·2^e with m in [√½, √2), then ln m = 2·atanh(s), s = (m−1)/(m+1),
  /// summed until the terms vanish (|s| ≤ 0.172, so about 12 terms).
  public static func log(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x == 0 ? -.infinity : (x > 0 ? x : .nan) }
    var e = Int(x.exponent)
    var m = x.significand
    if m > 1.414_213_562_373_095 {
      m /= 2
      e += 1
    }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var power = s
    var sum = 0.0
    var n = 1.0
    while n < 60 {
      let term = power / n
      sum += term
      if abs(term) < 1e-18 { break }
      power *= s2
      n += 2
    }
    return 2 * sum + Double(e) * ln2
  }
}
