/// Elementary functions the core needs, written here because Embedded Swift
/// has no `exp`/`log`/`pow` and the host and the target must share one code path.
public enum Elementary {
  private static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

  /// ln 2 split for Cody–Waite reduction (fdlibm's constants): `ln2Hi` has
  /// 32 significant bits, so k·ln2Hi is exact for |k| < 2^21, and
  /// ln2Hi + ln2Lo carries ln 2 to about 2^-85.
  private static let ln2Hi = 6.931_471_803_691_238_164_90e-01
  private static let ln2Lo = 1.908_214_929_270_587_700_02e-10

  /// e^x, with a relative error below 2e-15 over the whole finite range.
  ///
  /// Range reduction x = k·ln 2 + r with |r| ≤ ln2/2, r computed exactly in
  /// two parts (Cody–Waite; a single-constant k·ln 2 would lose up to 1e-13
  /// relative near |x| = 700), then a degree-13 Taylor polynomial in r
  /// (truncation error < 3e-17) evaluated by Horner's rule, then scaling by
  /// 2^k. Overflows to +infinity above ln(greatestFiniteMagnitude) ≈ 709.7827;
  /// returns 0 below −745.2; NaN stays NaN.
  public static func exp(_ x: Double) -> Double {
    guard x == x else { return x }
    if x > 709.79 { return .infinity }  // just above ln(max): the scaling overflows on its own
    if x < -745.2 { return 0 }
    let k = roundedToNearest(x / ln2)
    let r = (x - k * ln2Hi) - k * ln2Lo
    // 1 + r·(1 + r/2·(1 + r/3·(… (1 + r/13))))
    var sum = 1.0
    var n = 13.0
    while n >= 1 {
      sum = 1 + r * sum / n
      n -= 1
    }
    return scaleByPowerOfTwo(sum, Int(k))
  }

  /// The integer nearest to `x` (halves away from zero), computed without
  /// libm so the core links on a bare target; values beyond 2^52 are
  /// already integers and come back unchanged, NaN stays NaN.
  public static func roundedToNearest(_ x: Double) -> Double {
    guard abs(x) < 4_503_599_627_370_496 else { return x }
    // Truncate, then look at the (exact) fraction: adding 0.5 first would
    // round 0.49999999999999994 + 0.5 up to 1.
    let truncated = Double(Int64(x))
    let fraction = x - truncated
    if fraction >= 0.5 { return truncated + 1 }
    if fraction <= -0.5 { return truncated - 1 }
    return truncated
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
