/// Recent samples of one temperature, decimated so that a fixed number of
/// slots spans the window at any loop rate (10 Hz or 1 kHz alike).
///
/// Holds up to 16 samples; a sample is kept only if it comes at least a
/// twelfth of the window after the last kept one.
///
/// Implementation notes (the supervisor calls this every tick for every
/// sensor that measures the controlled temperature, so it is on the hot
/// path): kept samples are in strictly increasing time order, so the
/// samples within a window are always the newest ones, a suffix of the
/// ring. The reads walk back from the newest and stop at the window's
/// edge, with the ring index wrapped by a mask (`& 15`, the capacity being
/// a power of two) instead of a signed `%`; the fit converts each time
/// offset once into a local buffer that its two passes then share. The
/// arithmetic, and its order (oldest sample first), is that of the plain
/// two-pass fit, so every result is bit for bit what it was. The rise
/// search first compares against the lowest kept value, kept up to date by
/// ``add(nowNanoseconds:celsius:command:windowNanoseconds:)``, and scans
/// only when a rise is possible at all (while holding, almost never).
///
/// The reads are implemented by `mutating` methods that change nothing
/// (`slopeInPlace` and `riseStartInPlace`),
/// which the supervisor calls on its `InlineArray` of histories: on this
/// toolchain a non-mutating method copies the whole 128-byte array for every
/// `InlineArray` element it reads (and a non-mutating call on an
/// `InlineArray` element copies the element first), while a mutating one
/// reads in place. The public non-mutating reads run the same code on a
/// copy, for callers off the hot path.
public struct SampleHistory: Sendable {
  /// Slots in the ring; a power of two so that `& mask` wraps an index.
  private static let capacity = 16
  private static let mask = capacity - 1
  private var times: InlineArray<16, UInt64> = InlineArray(repeating: 0)
  private var values: InlineArray<16, Double> = InlineArray(repeating: 0)
  private var commands: InlineArray<16, Double> = InlineArray(repeating: 0)
  private var head = 0
  private var count = 0
  /// The lowest value among the kept samples (NaN ignored; +infinity when
  /// none): a lower bound of the lowest within any window, which lets
  /// `riseStartInPlace` skip its scan when no kept sample lies `rise` below.
  private var lowestCelsius = Double.infinity

  /// Creates an empty history.
  public init() {}

  /// Forgets every sample.
  public mutating func clear() {
    count = 0
    lowestCelsius = .infinity
  }

  /// Keeps a sample (with the command in force) if it is due.
  public mutating func add(
    nowNanoseconds: UInt64, celsius: Double, command: Double, windowNanoseconds: UInt64
  ) {
    if count > 0 {
      let newest = times[(head &+ count &- 1) & Self.mask]
      guard nowNanoseconds >= newest + windowNanoseconds / 12 else { return }
    }
    let slot = (head &+ count) & Self.mask
    // When full, `slot` is the oldest sample's: if it held the lowest value,
    // find the lowest again among the others.
    let replacesLowest = count == Self.capacity && !(values[slot] > lowestCelsius)
    times[slot] = nowNanoseconds
    values[slot] = celsius
    commands[slot] = command
    if count == Self.capacity { head = (head &+ 1) & Self.mask } else { count += 1 }
    if replacesLowest {
      lowestCelsius = .infinity
      for k in 0..<count where values[k] < lowestCelsius { lowestCelsius = values[k] }
    } else if celsius < lowestCelsius {
      lowestCelsius = celsius
    }
  }

  /// The least-squares slope over the samples of the last window, °C/s, or
  /// `nil` when they span less than nine tenths of it.
  ///
  /// Two passes (means, then centred sums), oldest sample first.
  public func slope(nowNanoseconds: UInt64, windowNanoseconds: UInt64) -> Double? {
    var history = self
    return history.slopeInPlace(
      nowNanoseconds: nowNanoseconds, windowNanoseconds: windowNanoseconds)
  }

  /// ``slope(nowNanoseconds:windowNanoseconds:)`` read in place: changes
  /// nothing, `mutating` only so that it does not copy (see the type's notes).
  mutating func slopeInPlace(nowNanoseconds: UInt64, windowNanoseconds: UInt64) -> Double? {
    // Newest first: the in-window suffix, each sample's time offset (s,
    // negative) computed once and kept with its value, newest at 0.
    var offsets = InlineArray<16, Double>(repeating: 0)
    var celsius = InlineArray<16, Double>(repeating: 0)
    var within = 0
    var oldest = UInt64.max
    while within < count {
      let slot = (head &+ count &- 1 &- within) & Self.mask
      let time = times[slot]
      guard time + windowNanoseconds >= nowNanoseconds else { break }
      offsets[within] = Double(nowNanoseconds - time) * -1e-9
      celsius[within] = values[slot]
      oldest = time
      within += 1
    }
    guard within >= 3, nowNanoseconds - oldest >= windowNanoseconds / 10 * 9 else { return nil }
    // Then the two passes, oldest first.
    var sumT = 0.0
    var sumV = 0.0
    var k = within
    while k > 0 {
      k -= 1
      sumT += offsets[k]
      sumV += celsius[k]
    }
    let n = Double(within)
    let meanT = sumT / n
    let meanV = sumV / n
    var covariance = 0.0
    var variance = 0.0
    k = within
    while k > 0 {
      k -= 1
      let t = offsets[k] - meanT
      covariance += t * (celsius[k] - meanV)
      variance += t * t
    }
    return variance > 0 ? covariance / variance : nil
  }

  /// The latest kept sample within the window that lies at least `rise`
  /// below `celsius` while its command was no stronger toward cooling than
  /// `command` allows (`command` ≤ the sample's command plus `slack`): when
  /// the rise began, at the latest.
  public func riseStart(
    nowNanoseconds: UInt64, windowNanoseconds: UInt64, celsius: Double, command: Double,
    rise: Double, slack: Double
  ) -> UInt64? {
    var history = self
    return history.riseStartInPlace(
      nowNanoseconds: nowNanoseconds, windowNanoseconds: windowNanoseconds, celsius: celsius,
      command: command, rise: rise, slack: slack)?.nanoseconds
  }

  /// ``riseStart(nowNanoseconds:windowNanoseconds:celsius:command:rise:slack:)``
  /// read in place, with the kept sample's value (°C) beside its time:
  /// changes nothing, `mutating` only so that it does not copy (see the
  /// type's notes).
  mutating func riseStartInPlace(
    nowNanoseconds: UInt64, windowNanoseconds: UInt64, celsius: Double, command: Double,
    rise: Double, slack: Double
  ) -> (nanoseconds: UInt64, celsius: Double)? {
    // No kept sample lies `rise` below `celsius` (c − v only falls as v
    // rises, and the lowest kept value bounds those in the window from
    // below): the scan could find nothing.
    if celsius - lowestCelsius < rise { return nil }
    var k = count
    while k > 0 {
      k -= 1
      let slot = (head &+ k) & Self.mask
      guard times[slot] + windowNanoseconds >= nowNanoseconds else { return nil }
      if celsius - values[slot] >= rise && command <= commands[slot] + slack {
        return (times[slot], values[slot])
      }
    }
    return nil
  }
}
