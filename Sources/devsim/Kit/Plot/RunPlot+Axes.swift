/// The plot's axes: value ranges, grid lines, tick labels, panel frames.
extension RunPlot {
  package static func temperatureAxis(_ series: RunSeries) -> NiceTicks {
    var low = min(series.context.window.lowCelsius, series.context.window.highCelsius)
    var high = max(series.context.window.lowCelsius, series.context.window.highCelsius)
    for values in series.sensors.map(\.celsius) + [series.targetCelsius] {
      for value in values where value.isFinite {
        low = min(low, value)
        high = max(high, value)
      }
    }
    return NiceTicks(low: low, high: high, targetCount: 7)
  }

  package static func commandAxis(_ series: RunSeries) -> NiceTicks {
    var low = series.context.mode == .cryolipolysis ? -1.0 : 0.0
    var high = 1.0
    for values in [series.sentCommand, series.controllerCommand, series.readBack] {
      for value in values where value.isFinite {
        low = min(low, value)
        high = max(high, value)
      }
    }
    return NiceTicks(low: low, high: high, targetCount: 4)
  }

  package static func hasReadBack(_ series: RunSeries) -> Bool {
    isRecorded(series.readBack)
  }

  /// Whether a series has any value (a trace may lack the setpoint or the commands).
  package static func isRecorded(_ values: [Double]) -> Bool {
    values.contains { $0.isFinite }
  }

  /// Horizontal grid lines with tick labels, the panel frame and its title.
  package static func grid(
    _ ticks: NiceTicks, scale: Scale, top: Double, bottom: Double, title: String,
    into out: inout MarkupWriter
  ) {
    out.open("g", ["class": "axis"])
    for value in ticks.values {
      let y = coordinate(scale(value))
      out.element(
        "line",
        attributes: [
          ("x1", coordinate(plotLeft)), ("x2", coordinate(plotRight)), ("y1", y), ("y2", y),
          ("stroke", "#D9D9D9"), ("stroke-width", "1"),
        ])
      out.element(
        "text",
        attributes: [
          ("x", coordinate(plotLeft - 8)), ("y", coordinate(scale(value) + 4.5)),
          ("text-anchor", "end"),
        ],
        text: ticks.label(value))
    }
    out.element(
      "rect",
      attributes: [
        ("x", coordinate(plotLeft)), ("y", coordinate(top)),
        ("width", coordinate(plotRight - plotLeft)), ("height", coordinate(bottom - top)),
        ("fill", "none"), ("stroke", "#404040"), ("stroke-width", "1"),
      ])
    let middle = coordinate((top + bottom) / 2)
    out.element(
      "text",
      attributes: [
        ("x", "24"), ("y", middle), ("text-anchor", "middle"), ("font-size", "14"),
        ("transform", "rotate(-90 24 \(middle))"),
      ], text: title)
    out.close()
  }

  /// Minute ticks under the command panel, with vertical grid lines through both panels.
  package static func timeAxis(_ time: Scale, into out: inout MarkupWriter) {
    let minutes = NiceTicks(
      low: time.domainLow / 60, high: time.domainHigh / 60, targetCount: 10)
    out.open("g", ["class": "axis time-axis"])
    for value in minutes.values
    where value * 60 >= time.domainLow - 1e-9 && value * 60 <= time.domainHigh + 1e-9 {
      let x = coordinate(time(value * 60))
      for (top, bottom) in [
        (temperatureTop, temperatureBottom), (windowTop, windowBottom), (commandTop, commandBottom),
      ] {
        out.element(
          "line",
          attributes: [
            ("x1", x), ("x2", x), ("y1", coordinate(top)), ("y2", coordinate(bottom)),
            ("stroke", "#E6E6E6"), ("stroke-width", "1"),
          ])
      }
      out.element(
        "text",
        attributes: [("x", x), ("y", coordinate(commandBottom + 18)), ("text-anchor", "middle")],
        text: minutes.label(value))
    }
    out.element(
      "text",
      attributes: [
        ("x", coordinate((plotLeft + plotRight) / 2)), ("y", coordinate(commandBottom + 42)),
        ("text-anchor", "middle"), ("font-size", "14"),
      ], text: "time (min)")
    out.close()
  }
}
