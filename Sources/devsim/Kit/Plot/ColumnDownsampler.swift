/// Thins a long series for drawing without losing what a person must see:
/// per pixel column it keeps the first, lowest, highest and last sample
/// (the "M4" reduction of Jugel et al., VLDB 2014), in time order.
///
/// A line drawn through the kept points covers the same pixels as one drawn
/// through every sample, so a single-sample spike survives however many
/// samples share its column. A run of 36,000 samples drawn 1,000 columns
/// wide keeps at most 4,000 points. Complexity: O(n), one pass.
///
/// A sample that is not finite (a failed read) is a gap: the series is cut
/// into segments there, and each segment is drawn as its own line.
package enum ColumnDownsampler {
  /// One kept sample: its time and its value, in the series' units.
  package struct Point: Equatable {
    package var time: Double
    package var value: Double
  }

  /// The series `values` (sampled at `times`, ascending) reduced to at most
  /// four points per column, for `columns` columns spanning
  /// `startTime … endTime`; samples outside the span go to the edge columns.
  ///
  /// - Returns: segments of points, split where a value is not finite.
  package static func segments(
    times: [Double], values: [Double], startTime: Double, endTime: Double, columns: Int
  ) -> [[Point]] {
    let count = min(times.count, values.count)
    let columnCount = max(1, columns)
    let span = endTime - startTime
    let scale = span > 0 ? Double(columnCount) / span : 0
    var result: [[Point]] = []
    var segment: [Point] = []
    // The column being gathered: indices of its first, lowest, highest and last sample.
    var column = -1
    var first = 0
    var lowest = 0
    var highest = 0
    var last = 0

    func flushColumn() {
      guard column >= 0 else { return }
      var kept = [first, lowest, highest, last]
      kept.sort()
      var previous = -1
      for index in kept where index != previous {
        segment.append(Point(time: times[index], value: values[index]))
        previous = index
      }
      column = -1
    }
    func flushSegment() {
      flushColumn()
      if !segment.isEmpty { result.append(segment) }
      segment = []
    }

    for index in 0..<count {
      let value = values[index]
      guard value.isFinite else {
        flushSegment()
        continue
      }
      let position = (times[index] - startTime) * scale
      let at = position.isFinite ? min(max(Int(position), 0), columnCount - 1) : 0
      if at != column {
        flushColumn()
        column = at
        first = index
        lowest = index
        highest = index
      }
      if value < values[lowest] { lowest = index }
      if value > values[highest] { highest = index }
      last = index
    }
    flushSegment()
    return result
  }
}
