/// Recent samples of one temperature, decimated so that a fixed number of
/// slots spans the window at any loop rate (10 Hz or 1 kHz alike).
///
/// Holds up to 16 samples; a sample is kept only if it comes at least a
/// twelfth of the window after the last kept one.
public struct SampleHistory: Sendable {
  private var times: InlineArray<16, UInt64> = InlineArray(repeating: 0)
  private var values: InlineArray<16, Double> = InlineArray(repeating: 0)
  private var commands: InlineArray<16, Double> = InlineArray(repeating: 0)
  private var head = 0
  private var count = 0

  /// Creates an empty history.
  public init() {}

  /// Forgets every sample.
  public mutating func clear() { count = 0 }

  /// Keeps a sample (with the command in force) if it is due.
  public mutating func add(
    nowNanoseconds: UInt64, celsius: Double, command: Double, windowNanoseconds: UInt64
  ) {
    if count > 0 {
      let newest = times[(head + count - 1) % 16]
      guard nowNanoseconds >= newest + windowNanoseconds / 12 else { return }
    }
    let slot = (head + count) % 16
    times[slot] = nowNanoseconds
    values[slot] = celsius
    commands[slot] = command
    if count == 16 { head = (head + 1) % 16 } else { count += 1 }
  }

  /// The least-squares slope over the samples of the last window, °C/s, or
  /// `nil` when they span less than nine tenths of it.
  public func slope(nowNanoseconds: UInt64, windowNanoseconds: UInt64) -> Double? {
    var n = 0.0
    var sumT = 0.0
    var sumV = 0.0
    var oldest = UInt64.max
    for k in 0..<count {
      let slot = (head + k) % 16
      guard times[slot] + windowNanoseconds >= nowNanoseconds else { continue }
      let t = Double(nowNanoseconds - times[slot]) * -1e-9
      n += 1
      sumT += t
      sumV += values[slot]
      oldest = min(oldest, times[slot])
    }
    guard n >= 3, oldest != .max,
      nowNanoseconds - oldest >= windowNanoseconds / 10 * 9
    else { return nil }
    let meanT = sumT / n
    let meanV = sumV / n
    var covariance = 0.0
    var variance = 0.0
    for k in 0..<count {
      let slot = (head + k) % 16
      guard times[slot] + windowNanoseconds >= nowNanoseconds else { continue }
      let t = Double(nowNanoseconds - times[slot]) * -1e-9 - meanT
      covariance += t * (values[slot] - meanV)
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
    var k = count
    while k > 0 {
      k -= 1
      let slot = (head + k) % 16
      guard times[slot] + windowNanoseconds >= nowNanoseconds else { return nil }
      if celsius - values[slot] >= rise && command <= commands[slot] + slack {
        return times[slot]
      }
    }
    return nil
  }
}
