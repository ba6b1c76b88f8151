import ThermalLoop

/// Draws one run as a self-contained SVG that answers "did it hold, where
/// did it trip, why" at a glance.
///
/// Layout (1200 × 700 user units): a title with the run's provenance and its
/// dose; a temperature panel with every sensor and depth probe, the window
/// shaded as a band over the treatment phases, the phase setpoint as a
/// stepped line and the phase boundaries; a command panel with the command
/// sent to the power stage, the controller's request and the read-back where
/// there is one; trip markers across both panels, labelled with the check,
/// and accepted resets; time in minutes; a legend. Print-friendly: a white
/// background, lines at least 1.4 units wide, and every series told apart
/// by its dash pattern as well as its colour (Okabe–Ito palette, safe for
/// colour-blind readers).
///
/// Long runs are thinned per pixel column by ``ColumnDownsampler``, which
/// keeps extremes, so a one-tick spike stays visible.
///
/// Elements carry classes that tests and style sheets rely on: `series
/// sensor` (with `data-series`), `setpoint`, `window-band`,
/// `phase-boundary`, `command-sent`, `command-controller`, `readback`,
/// `trip-marker` (with `data-check`), `reset-marker`, `dose`, `legend`.
enum RunPlot {
  /// The drawing's size, user units.
  static let width = 1200.0
  static let height = 700.0

  private static let plotLeft = 80.0
  private static let plotRight = 1000.0
  private static let temperatureTop = 100.0
  private static let temperatureBottom = 445.0
  private static let commandTop = 480.0
  private static let commandBottom = 615.0
  private static let legendLeft = 1018.0
  private static let font = "DejaVu Sans, Helvetica, Arial, sans-serif"
  private static let tripColour = "#C00000"

  /// Line style of one series: colour, width and dash pattern (empty: solid).
  private struct Style {
    var colour: String
    var width: Double
    var dash: String

    var attributes: [(String, String)] {
      var list = [
        ("fill", "none"), ("stroke", colour),
        ("stroke-width", DecimalText.string(width, decimals: 1)),
        ("stroke-linejoin", "round"),
      ]
      if !dash.isEmpty { list.append(("stroke-dasharray", dash)) }
      return list
    }
  }

  private static let sensorColours = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F", "#8C510A",
  ]
  private static let sensorDashes = ["", "9 3", "2 2", "9 3 2 3", "5 2", "14 3", "1 3", "5 2 1 2"]
  private static let setpointStyle = Style(colour: "#000000", width: 1.6, dash: "6 4")
  // The sent command is drawn wide and light underneath, so the controller's
  // request and the read-back stay visible on top of it where they coincide.
  private static let sentStyle = Style(colour: "#56B4E9", width: 4, dash: "")
  private static let controllerStyle = Style(colour: "#D55E00", width: 1.4, dash: "6 3")
  private static let readBackStyle = Style(colour: "#000000", width: 1.4, dash: "2 2")

  /// Maps data to drawing coordinates, linearly.
  private struct Scale {
    var domainLow: Double
    var domainHigh: Double
    var rangeLow: Double
    var rangeHigh: Double

    func callAsFunction(_ value: Double) -> Double {
      let span = domainHigh - domainLow
      guard span > 0 else { return rangeLow }
      return rangeLow + (value - domainLow) / span * (rangeHigh - rangeLow)
    }
  }

  /// The SVG document (with an XML declaration when `standalone`).
  ///
  /// - Parameter columns: pixel columns for thinning (default: the plot's width).
  static func svg(_ series: RunSeries, standalone: Bool = true, columns: Int? = nil) -> String {
    var out = MarkupWriter()
    if standalone { out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") }
    let size = "0 0 \(Int(width)) \(Int(height))"
    out.open(
      "svg",
      [
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": size, "width": "\(Int(width))",
        "height": "\(Int(height))", "font-family": font, "font-size": "13", "class": "run-plot",
      ])
    out.element("title", text: "\(series.context.name): temperatures, command and trips")
    out.element("rect", ["x": "0", "y": "0", "width": "100%", "height": "100%", "fill": "#FFFFFF"])

    // A simulation starts at 0; a replayed trace at its first row's time.
    let startSeconds = series.seconds.first ?? 0
    let endSeconds = max(series.seconds.last ?? 0, startSeconds + 1e-9)
    let time = Scale(
      domainLow: startSeconds, domainHigh: endSeconds, rangeLow: plotLeft, rangeHigh: plotRight)
    let temperatureTicks = temperatureAxis(series)
    let temperature = Scale(
      domainLow: temperatureTicks.low, domainHigh: temperatureTicks.high,
      rangeLow: temperatureBottom, rangeHigh: temperatureTop)
    let commandTicks = commandAxis(series)
    let command = Scale(
      domainLow: commandTicks.low, domainHigh: commandTicks.high, rangeLow: commandBottom,
      rangeHigh: commandTop)
    let columnCount = columns ?? Int(plotRight - plotLeft)

    heading(series, into: &out)
    windowBand(series, time: time, temperature: temperature, into: &out)
    grid(
      temperatureTicks, scale: temperature, top: temperatureTop, bottom: temperatureBottom,
      title: "temperature (°C)", into: &out)
    grid(
      commandTicks, scale: command, top: commandTop, bottom: commandBottom,
      title: series.context.mode == .cryolipolysis ? "TEC command" : "laser command",
      into: &out)
    timeAxis(time, into: &out)
    if series.context.mode == .cryolipolysis {
      out.element(
        "line",
        attributes: [
          ("x1", coordinate(plotLeft)), ("x2", coordinate(plotRight)),
          ("y1", coordinate(command(0))), ("y2", coordinate(command(0))), ("stroke", "#808080"),
          ("stroke-width", "1"),
        ])
      out.element(
        "text",
        attributes: [
          ("x", coordinate(plotLeft + 6)), ("y", coordinate(commandTop + 14)),
          ("font-size", "11"), ("fill", "#404040"),
        ], text: "+1 full heating, −1 full cooling")
    }
    phaseBoundaries(series, time: time, into: &out)

    out.open("g", ["class": "temperature-panel"])
    out.element(
      "path",
      attributes: [("class", "series setpoint"), ("d", steppedPath(series, time, temperature))]
        + setpointStyle.attributes)
    for (index, sensor) in series.sensors.enumerated() {
      let style = sensorStyle(index, sensor.name, series.context)
      out.element(
        "path",
        attributes: [
          ("class", "series sensor"), ("data-series", sensor.name),
          ("d", path(series.seconds, sensor.celsius, time, temperature, columnCount)),
        ] + style.attributes)
    }
    out.close()

    out.open("g", ["class": "command-panel"])
    out.element(
      "path",
      attributes: [
        ("class", "series command-sent"),
        ("d", path(series.seconds, series.sentCommand, time, command, columnCount)),
      ] + sentStyle.attributes)
    out.element(
      "path",
      attributes: [
        ("class", "series command-controller"),
        ("d", path(series.seconds, series.controllerCommand, time, command, columnCount)),
      ] + controllerStyle.attributes)
    if hasReadBack(series) {
      out.element(
        "path",
        attributes: [
          ("class", "series readback"),
          ("d", path(series.seconds, series.readBack, time, command, columnCount)),
        ] + readBackStyle.attributes)
    }
    out.close()

    resetMarkers(series, time: time, into: &out)
    tripMarkers(series, time: time, into: &out)
    legend(series, into: &out)
    return out.finish()
  }

  // MARK: - Axes

  private static func temperatureAxis(_ series: RunSeries) -> NiceTicks {
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

  private static func commandAxis(_ series: RunSeries) -> NiceTicks {
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

  private static func hasReadBack(_ series: RunSeries) -> Bool {
    series.readBack.contains { $0.isFinite }
  }

  /// Horizontal grid lines with tick labels, the panel frame and its title.
  private static func grid(
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
  private static func timeAxis(_ time: Scale, into out: inout MarkupWriter) {
    let minutes = NiceTicks(
      low: time.domainLow / 60, high: time.domainHigh / 60, targetCount: 10)
    out.open("g", ["class": "axis time-axis"])
    for value in minutes.values
    where value * 60 >= time.domainLow - 1e-9 && value * 60 <= time.domainHigh + 1e-9 {
      let x = coordinate(time(value * 60))
      for (top, bottom) in [(temperatureTop, temperatureBottom), (commandTop, commandBottom)] {
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

  // MARK: - Decorations

  private static func heading(_ series: RunSeries, into out: inout MarkupWriter) {
    let context = series.context
    let mode = context.mode == .cryolipolysis ? "cryolipolysis" : "laser lipolysis"
    out.element(
      "text",
      attributes: [
        ("x", coordinate(plotLeft)), ("y", "30"), ("font-size", "20"), ("font-weight", "bold"),
        ("class", "plot-title"),
      ], text: "\(context.name) (\(mode))")
    out.element(
      "text",
      attributes: [
        ("x", coordinate(plotLeft)), ("y", "52"), ("fill", "#404040"), ("class", "provenance"),
      ],
      text: shortened(series.provenance, 148))
    let window =
      "window \(celsius(context.window.lowCelsius)) … \(celsius(context.window.highCelsius)) °C on \(context.controlSensor)"
    let trips =
      series.trips.isEmpty
      ? "no trip" : series.trips.count == 1 ? "1 trip" : "\(series.trips.count) trips"
    out.element(
      "text",
      attributes: [
        ("x", coordinate(plotLeft)), ("y", "76"), ("font-size", "14"), ("class", "dose"),
      ],
      text: "\(window)  ·  \(series.doseText)  ·  \(trips)")
  }

  private static func windowBand(
    _ series: RunSeries, time: Scale, temperature: Scale, into out: inout MarkupWriter
  ) {
    let window = series.context.window
    let top = coordinate(temperature(window.highCelsius))
    let height = coordinate(temperature(window.lowCelsius) - temperature(window.highCelsius))
    out.open("g", ["class": "window"])
    for (start, end) in treatmentSpans(series) {
      out.element(
        "rect",
        attributes: [
          ("class", "window-band"), ("x", coordinate(time(start))), ("y", top),
          ("width", coordinate(max(time(end) - time(start), 1))), ("height", height),
          ("fill", "#2CA02C"), ("fill-opacity", "0.16"), ("stroke", "#2CA02C"),
          ("stroke-width", "1"), ("stroke-dasharray", "4 3"),
        ])
    }
    out.close()
  }

  /// The spans of the run (s) spent in treatment phases, where the window applies.
  private static func treatmentSpans(_ series: RunSeries) -> [(Double, Double)] {
    var spans: [(Double, Double)] = []
    var start: Double? = nil
    for index in 0..<series.count {
      let phase = series.phaseIndex[index]
      let treating =
        phase < series.context.phases.count && series.context.phases[phase].kind == .treatment
      if treating && start == nil { start = series.seconds[index] }
      if !treating, let begun = start {
        spans.append((begun, series.seconds[index]))
        start = nil
      }
    }
    if let begun = start, let last = series.seconds.last { spans.append((begun, last)) }
    return spans
  }

  private static func phaseBoundaries(
    _ series: RunSeries, time: Scale, into out: inout MarkupWriter
  ) {
    out.open("g", ["class": "phases"])
    var previous = -1
    for index in 0..<series.count where series.phaseIndex[index] != previous {
      previous = series.phaseIndex[index]
      let x = time(series.seconds[index])
      if index > 0 {
        out.element(
          "line",
          attributes: [
            ("class", "phase-boundary"), ("x1", coordinate(x)), ("x2", coordinate(x)),
            ("y1", coordinate(temperatureTop)), ("y2", coordinate(commandBottom)),
            ("stroke", "#505050"), ("stroke-width", "1.4"), ("stroke-dasharray", "3 3"),
          ])
      }
      let name =
        previous < series.context.phases.count ? series.context.phases[previous].name : "?"
      let nearRight = x > plotRight - 150
      out.element(
        "text",
        attributes: [
          ("class", "phase-label"), ("x", coordinate(nearRight ? x - 4 : x + 4)),
          ("y", coordinate(temperatureTop + 15)), ("text-anchor", nearRight ? "end" : "start"),
          ("fill", "#303030"), ("font-style", "italic"),
        ], text: shortened(name, 24))
    }
    out.close()
  }

  private static let resetColour = "#0B5D1E"

  /// Accepted operator resets: where a latched trip cleared.
  private static func resetMarkers(_ series: RunSeries, time: Scale, into out: inout MarkupWriter) {
    for (index, seconds) in series.resets.enumerated() {
      let x = time(seconds)
      let nearRight = x > plotRight - 160
      out.open("g", ["class": "reset-marker"])
      out.element(
        "line",
        attributes: [
          ("x1", coordinate(x)), ("x2", coordinate(x)), ("y1", coordinate(temperatureTop)),
          ("y2", coordinate(commandBottom)), ("stroke", resetColour), ("stroke-width", "2"),
          ("stroke-dasharray", "2 3"),
        ])
      out.element(
        "text",
        attributes: [
          ("class", "reset-label"), ("x", coordinate(nearRight ? x - 5 : x + 5)),
          ("y", coordinate(temperatureBottom - 8 - Double(index % 4) * 18)),
          ("text-anchor", nearRight ? "end" : "start"), ("fill", resetColour),
          ("font-weight", "bold"),
        ], text: "reset at \(clock(seconds))")
      out.close()
    }
  }

  private static func tripMarkers(_ series: RunSeries, time: Scale, into out: inout MarkupWriter) {
    for (index, trip) in series.trips.enumerated() {
      let x = time(trip.seconds)
      let labelY = temperatureTop + 38 + Double(index % 4) * 20
      let text = "TRIP \(shortened(trip.label, 48)) at \(clock(trip.seconds))"
      let nearRight = x > (plotLeft + plotRight) / 2
      let textWidth = Double(text.count) * 7.4 + 10
      let boxX = nearRight ? x - 6 - textWidth : x + 6
      out.open("g", ["class": "trip-marker", "data-check": trip.label])
      out.element(
        "line",
        attributes: [
          ("x1", coordinate(x)), ("x2", coordinate(x)), ("y1", coordinate(temperatureTop)),
          ("y2", coordinate(commandBottom)), ("stroke", tripColour), ("stroke-width", "2"),
          ("stroke-dasharray", "8 3"),
        ])
      out.element(
        "path",
        attributes: [
          ("d", "M\(coordinate(x - 7)) \(coordinate(temperatureTop - 10))h14l-7 10z"),
          ("fill", tripColour),
        ])
      out.element(
        "rect",
        attributes: [
          ("x", coordinate(boxX)), ("y", coordinate(labelY - 14)), ("width", coordinate(textWidth)),
          ("height", "19"), ("fill", "#FFFFFF"), ("fill-opacity", "0.9"), ("stroke", tripColour),
          ("stroke-width", "1"),
        ])
      out.element(
        "text",
        attributes: [
          ("class", "trip-label"), ("x", coordinate(boxX + 5)), ("y", coordinate(labelY)),
          ("fill", tripColour), ("font-weight", "bold"),
        ], text: text)
      out.close()
    }
  }

  private static func legend(_ series: RunSeries, into out: inout MarkupWriter) {
    out.open("g", ["class": "legend"])
    var y = temperatureTop + 6
    func entry(
      _ label: String, note: String = "", _ sample: (inout MarkupWriter, Double) -> Void
    ) {
      sample(&out, y)
      out.element(
        "text", attributes: [("x", coordinate(legendLeft + 38)), ("y", coordinate(y + 4.5))],
        text: shortened(label, 19))
      if !note.isEmpty {
        y += 15
        out.element(
          "text",
          attributes: [
            ("x", coordinate(legendLeft + 38)), ("y", coordinate(y + 4.5)), ("font-size", "11"),
            ("fill", "#505050"),
          ], text: note)
      }
      y += 22
    }
    func line(_ style: Style) -> (inout MarkupWriter, Double) -> Void {
      { out, y in
        out.element(
          "line",
          attributes: [
            ("x1", coordinate(legendLeft)), ("x2", coordinate(legendLeft + 30)),
            ("y1", coordinate(y)), ("y2", coordinate(y)),
          ] + style.attributes)
      }
    }
    for (index, sensor) in series.sensors.enumerated() {
      var roles: [String] = []
      if sensor.name == series.context.controlSensor { roles.append("control") }
      if sensor.name == series.context.doseSensor { roles.append("dose") }
      entry(
        sensor.name, note: roles.joined(separator: ", "),
        line(sensorStyle(index, sensor.name, series.context)))
    }
    entry("setpoint", line(setpointStyle))
    entry("window") { out, y in
      out.element(
        "rect",
        attributes: [
          ("x", coordinate(legendLeft)), ("y", coordinate(y - 6)), ("width", "30"),
          ("height", "12"),
          ("fill", "#2CA02C"), ("fill-opacity", "0.16"), ("stroke", "#2CA02C"),
          ("stroke-width", "1"), ("stroke-dasharray", "4 3"),
        ])
    }
    y = commandTop + 6
    entry("sent to stage", line(sentStyle))
    entry("controller", line(controllerStyle))
    if hasReadBack(series) { entry("read-back", line(readBackStyle)) }
    if !series.trips.isEmpty {
      entry("trip", line(Style(colour: tripColour, width: 2, dash: "8 3")))
    }
    if !series.resets.isEmpty {
      entry("reset", line(Style(colour: resetColour, width: 2, dash: "2 3")))
    }
    out.close()
  }

  private static func sensorStyle(_ index: Int, _ name: String, _ context: TelemetryContext)
    -> Style
  {
    let isControl = name == context.controlSensor
    return Style(
      colour: sensorColours[index % sensorColours.count], width: isControl ? 2.2 : 1.6,
      dash: sensorDashes[index % sensorDashes.count])
  }

  // MARK: - Paths and text

  /// A line through the thinned series; one subpath per run of finite values.
  private static func path(
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
  private static func steppedPath(_ series: RunSeries, _ x: Scale, _ y: Scale) -> String {
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

  private static func coordinate(_ value: Double) -> String {
    DecimalText.string(value, decimals: 1)
  }

  private static func celsius(_ value: Double) -> String {
    let text = DecimalText.string(value, decimals: value == value.rounded() ? 0 : 1)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }

  /// `m:ss.s`, as the run summary writes times.
  private static func clock(_ seconds: Double) -> String {
    Summary.clock(UInt64(max(0, seconds) * 1e9))
  }

  /// `text` cut to `limit` characters with an ellipsis.
  static func shortened(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
  }
}
