import ApplicatorHAL

/// The simulator's pseudo-random source: xoshiro256** seeded through SplitMix64.
///
/// Ours, not the standard library's, so that a profile and a seed give the
/// same numbers on every platform and toolchain version.
public struct SeededRandom: Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator whose whole sequence is fixed by `seed`.
  public init(seed: UInt64) {
    var x = seed
    func splitMix(_ x: inout UInt64) -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix(&x)
    s1 = splitMix(&x)
    s2 = splitMix(&x)
    s3 = splitMix(&x)
  }

  /// The next 64 random bits.
  public mutating func nextBits() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// A uniform double in [0, 1), from the top 53 bits.
  public mutating func nextUnit() -> Double {
    Double(nextBits() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate (mean 0, variance 1).
  ///
  /// Irwin–Hall: the sum of twelve uniforms on (0, 1) minus six. Exact mean
  /// and variance, tails cut at ±6σ, no `log` or `cos` needed on the target.
  ///
  /// Each uniform is 32 bits (each 64-bit draw gives two, the high and the
  /// low half), taken at the midpoint of its 2^-32-wide cell, so six draws
  /// instead of twelve: u = (k + ½)·2^-32 has mean exactly ½ and variance
  /// (1 − 2^-64)/12, and the sum is a lattice with steps of 2^-32 σ, whose
  /// distribution function differs from the continuous Irwin–Hall law's by
  /// less than 1e-10 — far below the law's own distance from the normal
  /// (about 2e-3 at ±1σ), which is what limits the approximation, as before
  /// with 53-bit uniforms. The twelve halves are summed as integers (below
  /// 12·2^32, exact) and the sum is scaled once: every step is exact but the
  /// final subtraction of six.
  public mutating func nextGaussian() -> Double {
    var sum: UInt64 = 0
    for _ in 0..<6 {
      let bits = nextBits()
      sum &+= (bits >> 32) &+ (bits & 0xFFFF_FFFF)
    }
    // Σ(kᵢ + ½)·2^-32 − 6, with the twelve halves added as 6.
    return (Double(sum) + 6) * 0x1.0p-32 - 6
  }
}
