import Foundation

/// Axis ticks at "nice" values: steps of 1, 2 or 5 times a power of ten
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
///
/// Usage: `NiceTicks(low: -13.2, high: 25.1, targetCount: 6)` gives the
/// step 10 and the ticks −20, −10, 0, 10, 20, 30; ``low`` and ``high``
/// are widened to whole steps so the data fits inside the axis.
package struct NiceTicks: Equatable {
  /// The axis start: a multiple of ``step`` at or below the data's low end.
  package let low: Double
  /// The axis end: a multiple of ``step`` at or above the data's high end.
  package let high: Double
  /// The distance between ticks: 1, 2 or 5 × 10ⁿ.
  package let step: Double

  /// Ticks covering `low … high` with about `targetCount` intervals (at least 1).
  ///
  /// An empty or degenerate range (`low == high`, or not finite) is widened
  /// to one unit around its value (or 0 … 1), so there is always an axis.
  package init(low dataLow: Double, high dataHigh: Double, targetCount: Int = 5) {
    var lowValue = min(dataLow, dataHigh)
    var highValue = max(dataLow, dataHigh)
    if !lowValue.isFinite || !highValue.isFinite {
      lowValue = 0
      highValue = 1
    }
    if highValue - lowValue < 1e-9 * max(1, abs(lowValue)) {
      lowValue -= 0.5
      highValue += 0.5
    }
    let intervals = Double(max(1, targetCount))
    step = NiceTicks.niceStep((highValue - lowValue) / intervals)
    low = (lowValue / step).rounded(.down) * step
    high = (highValue / step).rounded(.up) * step
  }

  /// The smallest 1, 2 or 5 × 10ⁿ that is at least `rough` (for a positive, finite `rough`).
  package static func niceStep(_ rough: Double) -> Double {
    guard rough.isFinite, rough > 0 else { return 1 }
    let magnitude = pow(10, (log10(rough)).rounded(.down))
    let fraction = rough / magnitude
    // A rounding error may put `fraction` a hair above 1, 2 or 5.
    let nice: Double =
      fraction <= 1.000_000_001
      ? 1 : fraction <= 2.000_000_001 ? 2 : fraction <= 5.000_000_001 ? 5 : 10
    return nice * magnitude
  }

  /// The tick values from ``low`` to ``high``, computed from integers so they
  /// do not drift (0.1 + 0.1 + 0.1 is not 0.3).
  package var values: [Double] {
    let first = (low / step).rounded()
    let count = Int(((high - low) / step).rounded())
    return (0...max(0, count)).map { (first + Double($0)) * step }
  }

  /// How many decimals a label needs to show the step exactly.
  package var decimals: Int {
    guard step < 1 else { return 0 }
    return max(0, Int((-log10(step)).rounded(.up)))
  }

  /// A tick's label: fixed decimals, a true minus sign (−), no "−0".
  package func label(_ value: Double) -> String {
    let text = DecimalText.string(value, decimals: decimals)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }
}
