import ApplicatorHAL
import ApplicatorSimulation
import Testing
import ThermalLoop

/// Feeds `history` one sample per `period` from 0 through `end` with
/// `value(t)` (t in s), and calls `each` after every sample.
private func feed(
  _ history: inout SampleHistory, every period: UInt64, through end: UInt64,
  window: UInt64 = second, value: (Double) -> Double,
  each: (UInt64, SampleHistory) -> Void = { _, _ in }
) {
  var now: UInt64 = 0
  while now <= end {
    history.add(
      nowNanoseconds: now, celsius: value(Double(now) * 1e-9), command: 0,
      windowNanoseconds: window)
    each(now, history)
    now += period
  }
}

/// Whether a kept sample lies at or below `celsius` (probed with `riseStart`
/// over a window long enough to see every kept sample).
private func keepsSample(_ history: SampleHistory, atOrBelow celsius: Double, now: UInt64) -> Bool {
  history.riseStart(
    nowNanoseconds: now, windowNanoseconds: 1_000 * second, celsius: celsius + 1, command: 0,
    rise: 1, slack: 0) != nil
}

@Suite("SampleHistory")
struct SampleHistoryTests {
  @Test(
    "the least-squares slope of a linear ramp is its rate, at 10 Hz and at 1 kHz",
    arguments: [100 * millisecond, millisecond], [-1.7, 0.35, 2.5])
  func rampSlope(period: UInt64, rate: Double) {
    var history = SampleHistory()
    var checked = 0
    func ramp(_ t: Double) -> Double { 20 + rate * t }
    feed(&history, every: period, through: 5 * second, value: ramp) { now, history in
      let slope = history.slope(nowNanoseconds: now, windowNanoseconds: second)
      // A fit is given once the kept samples span nine tenths of the window.
      if now < 900 * millisecond {
        #expect(slope == nil, "t = \(now)")
      } else if let slope {
        // An exact fit: only rounding of values near 20 °C over a 1 s span.
        #expect(abs(slope - rate) < 1e-9, "t = \(now)")
        checked += 1
      } else {
        Issue.record("no slope at t = \(now)")
      }
    }
    #expect(checked == Int((5 * second - 900 * millisecond) / period) + 1)
  }

  @Test("decimation: at most 16 samples, one per twelfth of the window, at any rate")
  func decimation() {
    // 1 kHz, window 1 s: a sample is kept 1 s / 12 = 83.333 ms after the last
    // kept one at the earliest, so on a 1 ms grid every 84 ms (0, 84, 168, …).
    // At 5 s the newest kept is 59·84 = 4956 ms; 16 slots reach back
    // 15·84 ms, to 3696 ms. With value = time (°C = s) each sample names itself.
    var fast = SampleHistory()
    feed(&fast, every: millisecond, through: 5 * second, value: { $0 })
    #expect(keepsSample(fast, atOrBelow: 3.696 + 1e-6, now: 5 * second))
    #expect(!keepsSample(fast, atOrBelow: 3.696 - 1e-6, now: 5 * second))
    // And the 16 samples still span the window: 15·84 ms = 1.26 s ≥ 1 s.
    #expect(fast.slope(nowNanoseconds: 5 * second, windowNanoseconds: second) != nil)

    // 10 Hz: 100 ms ≥ 83.3 ms, every sample is kept; 16 of them reach back 1.5 s.
    var slow = SampleHistory()
    feed(&slow, every: 100 * millisecond, through: 5 * second, value: { $0 })
    #expect(keepsSample(slow, atOrBelow: 3.5 + 1e-6, now: 5 * second))
    #expect(!keepsSample(slow, atOrBelow: 3.5 - 1e-6, now: 5 * second))

    // Cleared, it keeps nothing.
    slow.clear()
    #expect(!keepsSample(slow, atOrBelow: 1e9, now: 5 * second))
    #expect(slow.slope(nowNanoseconds: 5 * second, windowNanoseconds: second) == nil)
  }

  @Test("slope noise: white noise σ at 10 Hz over 1 s gives a slope of σ/√1.1 RMS")
  func slopeNoise() {
    // Least squares over n equally spaced samples Δt apart: Var(b) = σ²/Sxx
    // with Sxx = Σ(tᵢ − t̄)² = Δt²·n(n² − 1)/12. At 10 Hz over 1 s the window
    // holds n = 11 samples (both ends included): Sxx = 0.01·11·120/12 =
    // 1.1 s², so σ_b = σ/√1.1 = 0.9535·σ per second, i.e. σ·√(12/(n·T²))
    // with T = n·Δt = 1.1 s up to the n² − 1 ≈ n² step. Raw differences
    // give σ·√2/Δt = 14.1·σ: the fit is about 15 times quieter.
    //
    // Disjoint windows (a slope every 11 samples) are independent; for
    // M = 3000 of them the RMS estimate has a relative standard deviation of
    // about √(2/M)/2 = 1.3 % (b is a sum of 11 near-normal terms), so 6.5 %
    // is 5 standard deviations.
    //
    // Irwin–Hall noise is bounded by 6σ, so every slope is bounded too:
    // |b| ≤ 6σ·Σ|tᵢ − t̄|/Sxx = 6σ·(2·0.1·(1 + 2 + 3 + 4 + 5))/1.1 = 16.36·σ.
    let sigma = 0.05
    var random = SeededRandom(seed: 2024)
    var history = SampleHistory()
    var sumOfSquares = 0.0
    var count = 0
    var largest = 0.0
    func noisy(_: Double) -> Double { -12 + sigma * random.nextGaussian() }
    feed(&history, every: 100 * millisecond, through: 3300 * second, value: noisy) {
      now, history in
      guard now >= second, (now / (100 * millisecond)) % 11 == 10 else { return }
      guard let slope = history.slope(nowNanoseconds: now, windowNanoseconds: second) else {
        Issue.record("no slope at \(now)")
        return
      }
      sumOfSquares += slope * slope
      largest = max(largest, abs(slope))
      count += 1
    }
    #expect(count == 3000)
    let rms = (sumOfSquares / Double(count)).squareRoot()
    let expected = sigma / 1.1.squareRoot()
    #expect(abs(rms / expected - 1) < 0.065, "rms \(rms), expected \(expected)")
    #expect(largest <= 6 * sigma * 3.0 / 1.1)
  }

  @Test("rise start: a rise at unchanged or stronger command, measured from its start")
  func riseStart() {
    // 10 s window: kept every 0.9 s at 10 Hz (the first tick ≥ 10/12 s later).
    // A plate at −12 °C rises from t0 = 9 s at 0.12 °C/s with the command
    // unchanged: the rise reaches 0.5 °C at 9 + 0.5/0.12 = 13.17 s.
    let window = 10 * second
    var history = SampleHistory()
    func plate(_ t: UInt64) -> Double {
      t <= 9 * second ? -12 : -12 + 0.12 * Double(t - 9 * second) * 1e-9
    }
    var now: UInt64 = 0
    var found: (UInt64, UInt64)? = nil
    while now <= 20 * second && found == nil {
      if let start = history.riseStart(
        nowNanoseconds: now, windowNanoseconds: window, celsius: plate(now), command: -0.4,
        rise: 0.5, slack: 0.02)
      {
        found = (now, start)
      }
      history.add(
        nowNanoseconds: now, celsius: plate(now), command: -0.4, windowNanoseconds: window)
      now += 100 * millisecond
    }
    // Found at the first tick with a rise of 0.5 (13.2 s), measured from the
    // last sample before the rise (the kept one at 9.0 s = 10·0.9 s).
    #expect(found?.0 == 13_200 * millisecond)
    #expect(found?.1 == 9 * second)

    // Weaker cooling now than then (−0.37 > −0.4 + 0.02): not a rise at unchanged cooling.
    #expect(
      history.riseStart(
        nowNanoseconds: now, windowNanoseconds: window, celsius: plate(now), command: -0.37,
        rise: 0.5, slack: 0.02) == nil)
    // Within the slack (−0.39 ≤ −0.38) it still counts.
    #expect(
      history.riseStart(
        nowNanoseconds: now, windowNanoseconds: window, celsius: plate(now), command: -0.39,
        rise: 0.5, slack: 0.02) != nil)
  }
}
