/// Series as SVG path data, and the plot's text formats.
extension RunPlot {
  /// A line through the thinned series; one subpath per run of finite values.
  package static func path(
    _ times: [Double], _ values: [Double], _ x: Scale, _ y: Scale, _ columns: Int
  ) -> String {
    let segments = ColumnDownsampler.segments(
      times: times, values: values, startTime: x.domainLow, endTime: x.domainHigh,
      columns: columns)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(segments.reduce(0) { $0 + $1.count } * 13)
    for segment in segments {
      for (index, point) in segment.enumerated() {
        bytes.append(index == 0 ? UInt8(ascii: "M") : UInt8(ascii: " "))
        DecimalText.append(x(point.time), decimals: 1, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        DecimalText.append(y(point.value), decimals: 1, to: &bytes)
      }
      if segment.count == 1 {
        // A lone sample between gaps: a short stroke so it shows.
        bytes.append(contentsOf: Array("h1".utf8))
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The phase setpoint as a stepped line: horizontal runs joined by vertical steps.
  package static func steppedPath(_ series: RunSeries, _ x: Scale, _ y: Scale) -> String {
    var bytes: [UInt8] = []
    var current = Double.nan
    for index in 0..<series.count {
      let value = series.targetCelsius[index]
      guard value.isFinite else { continue }
      if current.isNaN {
        bytes.append(UInt8(ascii: "M"))
      } else if value != current {
        bytes.append(contentsOf: Array("H".utf8))
        DecimalText.append(x(series.seconds[index]), decimals: 1, to: &bytes)
        bytes.append(UInt8(ascii: "V"))
        DecimalText.append(y(value), decimals: 1, to: &bytes)
        current = value
        continue
      } else {
        continue
      }
      DecimalText.append(x(series.seconds[index]), decimals: 1, to: &bytes)
      bytes.append(UInt8(ascii: ","))
      DecimalText.append(y(value), decimals: 1, to: &bytes)
      current = value
    }
    if !current.isNaN, let last = series.seconds.last {
      bytes.append(UInt8(ascii: "H"))
      DecimalText.append(x(last), decimals: 1, to: &bytes)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  package static func coordinate(_ value: Double) -> String {
    DecimalText.string(value, decimals: 1)
  }

  package static func celsius(_ value: Double) -> String {
    let text = DecimalText.string(value, decimals: value == value.rounded() ? 0 : 1)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }

  /// `m:ss.s`, as the run summary writes times.
  /// Saturates: a time beyond UInt64's nanoseconds (a hostile file's) is
  /// written as that maximum, never trapped on.
  package static func clock(_ seconds: Double) -> String {
    let nanoseconds = max(0, seconds) * 1e9
    return Summary.clock(nanoseconds < 1.8e19 ? UInt64(nanoseconds) : .max)
  }

  /// `text` cut to `limit` characters with an ellipsis.
  package static func shortened(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
  }
}
