import Foundation
import Testing

@testable import DevsimKit

/// The plot's building blocks: nice ticks, per-column thinning, escaping.
@Suite struct PlotAxisTests {
  // MARK: - Nice ticks

  /// Steps from Heckbert's rule worked by hand: the smallest 1, 2 or 5 × 10ⁿ ≥ the rough step.
  @Test(arguments: [
    (0.13, 0.2), (0.2, 0.2), (0.21, 0.5), (3.0, 5.0), (5.0, 5.0), (7.0, 10.0), (12.0, 20.0),
    (0.001, 0.001), (450.0, 500.0), (1.0, 1.0),
  ])
  func niceStep(_ rough: Double, _ step: Double) {
    #expect(abs(NiceTicks.niceStep(rough) - step) < 1e-12 * step)
  }

  /// Axes a plot of this project meets, worked by hand.
  @Test(arguments: [
    // A 37-minute cryolipolysis run: 3.7 per interval → 5; 0 … 40.
    (0.0, 37.0, 10, 0.0, 40.0, 5.0),
    // Cryo temperatures −13.2 … 25.1 °C in 7 intervals: 5.47 → 10; −20 … 30.
    (-13.2, 25.1, 7, -20.0, 30.0, 10.0),
    // A laser command 0 … 1 in 4: 0.25 → 0.5.
    (0.0, 1.0, 4, 0.0, 1.0, 0.5),
    // A TEC command −1 … +1 in 4: 0.5.
    (-1.0, 1.0, 4, -1.0, 1.0, 0.5),
    // Laser temperatures 25.8 … 47 °C in 7: 3.03 → 5; 25 … 50.
    (25.8, 47.0, 7, 25.0, 50.0, 5.0),
  ])
  func ticksCoverTheData(
    _ low: Double, _ high: Double, _ count: Int, _ axisLow: Double, _ axisHigh: Double,
    _ step: Double
  ) {
    let ticks = NiceTicks(low: low, high: high, targetCount: count)
    #expect(ticks.low == axisLow && ticks.high == axisHigh && ticks.step == step)
    #expect(ticks.values.count == Int(((axisHigh - axisLow) / step).rounded()) + 1)
  }

  @Test func labelsDoNotDriftAndUseATrueMinus() {
    let tenths = NiceTicks(low: 0, high: 0.3, targetCount: 3)
    #expect(tenths.step == 0.1)
    #expect(tenths.values.map(tenths.label) == ["0.0", "0.1", "0.2", "0.3"])
    let cold = NiceTicks(low: -13, high: 25, targetCount: 7)
    #expect(cold.values.map(cold.label) == ["−20", "−10", "0", "10", "20", "30"])
  }

  @Test func aDegenerateRangeStillGivesAnAxis() {
    for (low, high) in [(5.0, 5.0), (0.0, 0.0), (Double.nan, 1.0), (-Double.infinity, 3.0)] {
      let ticks = NiceTicks(low: low, high: high)
      #expect(ticks.high > ticks.low && ticks.step > 0 && ticks.values.count >= 2)
      if low.isFinite { #expect(ticks.low <= low && ticks.high >= high) }
    }
  }

  /// For any range: the axis covers it, the step is 1, 2 or 5 × 10ⁿ, and the
  /// count of intervals is within what the rule allows (at most the target
  /// plus the two partial intervals at the ends).
  @Test func ticksHoldTheirPropertiesOnRandomRanges() {
    var generator = SplitMix(seed: 8)
    for _ in 0..<2000 {
      let scale = pow(10, Double(generator.next() % 9) - 4)
      let a = (Double(generator.next() % 2_000_001) / 1e6 - 1) * scale * 100
      let b = a + Double(generator.next() % 1_000_001) / 1e6 * scale * 50 + scale * 1e-3
      let target = Int(generator.next() % 12) + 1
      let ticks = NiceTicks(low: a, high: b, targetCount: target)
      #expect(ticks.low <= a && ticks.high >= b)
      let mantissa = ticks.step / pow(10, log10(ticks.step).rounded(.down))
      #expect([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-9 }, "step \(ticks.step)")
      let intervals = ((ticks.high - ticks.low) / ticks.step).rounded()
      #expect(intervals >= 1 && intervals <= Double(target) + 2, "\(a) … \(b) in \(target)")
    }
  }

  // MARK: - Thinning

  private func allPoints(_ segments: [[ColumnDownsampler.Point]]) -> [ColumnDownsampler.Point] {
    segments.flatMap { $0 }
  }

  /// One high and one low sample among 36,000 flat ones survive 900 columns.
  @Test func aSingleSampleSpikeSurvives() {
    let count = 36_000
    let times = (0..<count).map { Double($0) * 0.1 }
    var values = [Double](repeating: -12, count: count)
    values[12_345] = 30
    values[30_001] = -60
    let points = allPoints(
      ColumnDownsampler.segments(
        times: times, values: values, startTime: 0, endTime: times[count - 1], columns: 900))
    #expect(points.contains(ColumnDownsampler.Point(time: times[12_345], value: 30)))
    #expect(points.contains(ColumnDownsampler.Point(time: times[30_001], value: -60)))
    #expect(points.count <= 4 * 900)
    #expect(points.first?.time == 0 && points.last?.time == times[count - 1])
  }

  /// On noise, every column keeps exactly its lowest and highest sample
  /// (checked against a brute-force pass), at most four points, in time order.
  @Test func everyColumnKeepsItsExtremes() {
    var generator = SplitMix(seed: 3)
    let count = 10_007
    let times = (0..<count).map { Double($0) * 0.1 }
    let values = (0..<count).map { _ in Double(generator.next() % 10_000) / 100 }
    let columns = 333
    let end = times[count - 1]
    let points = allPoints(
      ColumnDownsampler.segments(
        times: times, values: values, startTime: 0, endTime: end, columns: columns))
    func column(_ time: Double) -> Int { min(Int(time * Double(columns) / end), columns - 1) }
    var expectedLow = [Double](repeating: .infinity, count: columns)
    var expectedHigh = [Double](repeating: -.infinity, count: columns)
    for (time, value) in zip(times, values) {
      expectedLow[column(time)] = min(expectedLow[column(time)], value)
      expectedHigh[column(time)] = max(expectedHigh[column(time)], value)
    }
    var keptLow = [Double](repeating: .infinity, count: columns)
    var keptHigh = [Double](repeating: -.infinity, count: columns)
    var perColumn = [Int](repeating: 0, count: columns)
    for point in points {
      keptLow[column(point.time)] = min(keptLow[column(point.time)], point.value)
      keptHigh[column(point.time)] = max(keptHigh[column(point.time)], point.value)
      perColumn[column(point.time)] += 1
    }
    #expect(keptLow == expectedLow && keptHigh == expectedHigh)
    #expect(perColumn.allSatisfy { $0 >= 1 && $0 <= 4 })
    #expect(zip(points, points.dropFirst()).allSatisfy { $0.time < $1.time })
  }

  @Test func aFailedReadCutsTheLine() {
    let segments = ColumnDownsampler.segments(
      times: [0, 1, 2, 3, 4, 5], values: [1, 2, .nan, 3, 4, .nan], startTime: 0, endTime: 5,
      columns: 100)
    #expect(
      segments.map { $0.map(\.value) } == [[1, 2], [3, 4]], "gaps split, short series kept whole")
  }

  // MARK: - Reading numbers

  /// The telemetry reader's fast path gives exactly what `strtod` gives, and
  /// declines every form it does not handle.
  @Test func plainDecimalsParseExactlyOrNotAtAll() {
    func parse(_ text: String) -> Double? {
      Array(text.utf8).withUnsafeBufferPointer { TelemetryFile.plainDecimal($0) }
    }
    var generator = SplitMix(seed: 11)
    for _ in 0..<20_000 {
      let whole = generator.next() % 100_000
      let decimals = Int(generator.next() % 5)
      var text = (generator.next() % 2 == 0 ? "-" : "") + String(whole)
      if decimals > 0 {
        let fraction = String(generator.next() % UInt64(pow(10, Double(decimals))))
        text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
      }
      #expect(parse(text) == Double(text), "\(text)")
    }
    for declined in ["", "-", ".", "nan", "inf", "1e5", "1.2.3", "+1", " 1", "12345678901234567"] {
      #expect(parse(declined) == nil, "\(declined)")
    }
  }

  // MARK: - Escaping

  @Test func markupEscapesTextAndAttributes() throws {
    var writer = MarkupWriter()
    writer.open("svg", ["xmlns": "http://www.w3.org/2000/svg", "data-name": "a<b & \"c\" 'd'"])
    writer.element("text", ["class": "label"], text: "sensor <plate> & \"probe\"")
    writer.close()
    writer.close()  // nothing open: ignored
    let text = writer.finish()
    #expect(!text.contains("<b ") && !text.contains("<plate>"))
    let tree = try XMLTree.parse(text)
    #expect(tree.root?.attributes["data-name"] == "a<b & \"c\" 'd'")
    #expect(tree.all("text").first?.text == "sensor <plate> & \"probe\"")
  }
}

/// A small seeded generator for property tests (SplitMix64).
struct SplitMix {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
