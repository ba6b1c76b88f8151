import ApplicatorHAL

/// ``Dose/cem43Minutes(celsius:seconds:)`` for a reading that comes back
/// often, without recomputing its exponential.
///
/// A dose accrues every tick at the dose probe's quantised reading, which
/// keeps returning to the same few values (0.01 °C steps, noise of a few
/// hundredths), while `Elementary.exp` is a chain of thirteen divisions,
/// the costliest arithmetic of a tick. The memo keeps the rate R^(43 − T)
/// of the last readings in sixteen slots chosen by the reading's bits, and
/// computes it only on a miss. The result is the same number, bit for bit:
/// the same rate times the same seconds over 60.
struct DoseRateMemo: Sendable {
  private var celsiusBits: InlineArray<16, UInt64> = InlineArray(repeating: 0)
  private var rates: InlineArray<16, Double> = InlineArray(repeating: 0)
  /// Which slots hold a rate (bit k for slot k).
  private var filled: UInt16 = 0

  /// Equals ``Dose/cem43Minutes(celsius:seconds:)``.
  mutating func cem43Minutes(celsius: Double, seconds: Double) -> Double {
    let bits = celsius.bitPattern
    let slot = Int(truncatingIfNeeded: bits ^ (bits >> 32)) & 15
    let mask: UInt16 = 1 << slot
    if filled & mask == 0 || celsiusBits[slot] != bits {
      celsiusBits[slot] = bits
      rates[slot] = Dose.rate(celsius: celsius)
      filled |= mask
    }
    return rates[slot] * seconds / 60
  }
}
