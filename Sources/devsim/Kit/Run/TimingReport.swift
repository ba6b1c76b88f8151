import ThermalLoop

/// The loop's timing in words: wake-up lateness (minimum, mean, p99,
/// maximum), overruns and skipped periods, and the lateness histogram by
/// powers of two, for `devsim run` summaries and `devsim bench latency`.
package enum TimingReport {
  /// Microseconds with `decimals` decimals and the unit.
  package static func microseconds(_ nanoseconds: Double, decimals: Int = 1) -> String {
    DecimalText.string(nanoseconds * 1e-3, decimals: decimals) + " µs"
  }

  /// A duration with three significant digits in ns, µs, ms or s.
  package static func duration(_ nanoseconds: Double) -> String {
    let (value, unit): (Double, String) =
      nanoseconds < 1e3
      ? (nanoseconds, "ns")
      : nanoseconds < 1e6
        ? (nanoseconds * 1e-3, "µs")
        : nanoseconds < 1e9 ? (nanoseconds * 1e-6, "ms") : (nanoseconds * 1e-9, "s")
    let decimals = value < 10 ? 2 : value < 100 ? 1 : 0
    return DecimalText.string(value, decimals: decimals) + " " + unit
  }

  /// One line: `lateness min … mean … p99 … max …`.
  package static func latenessLine(_ lateness: LatenessHistogram) -> String {
    guard lateness.count > 0 else { return "lateness: no wake-ups" }
    return "lateness min \(microseconds(Double(lateness.minimumNanoseconds)))"
      + "  mean \(microseconds(lateness.meanNanoseconds))"
      + "  p99 \(microseconds(Double(lateness.percentileNanoseconds(0.99))))"
      + "  max \(microseconds(Double(lateness.maximumNanoseconds)))"
      + "  (\(lateness.count) wake-ups)"
  }

  /// The histogram folded into powers of two (each line one octave of the
  /// fine buckets, so the folding is exact), empty octaves left out.
  package static func histogramLines(_ lateness: LatenessHistogram) -> [String] {
    var octaves: [(lowNanoseconds: UInt64, highNanoseconds: UInt64, count: UInt64)] = []
    for bucket in 0..<LatenessHistogram.bucketCount {
      let count = UInt64(lateness.counts[bucket])
      guard count > 0 else { continue }
      let low = LatenessHistogram.lowerEdgeNanoseconds(ofBucket: bucket)
      let octaveLow: UInt64 = low < 1_024 ? 0 : 1 << (63 - low.leadingZeroBitCount)
      let octaveHigh: UInt64 =
        bucket == LatenessHistogram.bucketCount - 1 ? .max : max(octaveLow * 2, 1_024)
      if let last = octaves.last, last.lowNanoseconds == octaveLow {
        octaves[octaves.count - 1].count += count
      } else {
        octaves.append((octaveLow, octaveHigh, count))
      }
    }
    let total = max(lateness.count, 1)
    return octaves.map { octave in
      let low = duration(Double(octave.lowNanoseconds))
      let range =
        octave.highNanoseconds == .max
        ? "≥ \(low)" : "\(low) … \(duration(Double(octave.highNanoseconds)))"
      let share = DecimalText.string(Double(octave.count) * 100 / Double(total), decimals: 3)
      let padding = String(repeating: " ", count: max(0, 22 - range.count))
      return "  \(range)\(padding) \(octave.count) (\(share) %)"
    }
  }
}
