/// Draws one run as a self-contained SVG that answers "did it hold, where
/// did it trip, why" at a glance.
///
/// Layout (1200 × 800 user units): a title with the run's provenance and its
/// dose; a temperature panel with every sensor and depth probe, the window
/// shaded as a band over the treatment phases, the phase setpoint as a
/// stepped line and the phase boundaries; under it a window panel zoomed on
/// the window (``windowPanel(_:time:columns:into:)``) with the control
/// sensor and the setpoint, where the hold can be judged; a command panel with the command
/// sent to the power stage, the controller's request and the read-back where
/// there is one; trip markers across both panels, labelled with the check,
/// and accepted resets; time in minutes; a legend. Print-friendly: a white
/// background, lines at least 1.4 units wide, and every series told apart
/// by its dash pattern as well as its colour (Okabe–Ito palette, safe for
/// colour-blind readers).
///
/// Long runs are thinned per pixel column by ``ColumnDownsampler``, which
/// keeps extremes, so a one-tick spike stays visible (and a recorded run
/// was already thinned, the same way, while it streamed in:
/// ``StreamingThinner``).
///
/// Elements carry classes that tests and style sheets rely on: `series
/// sensor` (with `data-series`), `setpoint`, `window-band`,
/// `phase-boundary`, `command-sent`, `command-controller`, `readback`,
/// `trip-marker` (with `data-check`), `reset-marker`, `dose`, `legend`, and
/// the window panel's (see ``windowPanel(_:time:columns:into:)``).
package enum RunPlot {
  /// The drawing's size, user units.
  package static let width = 1200.0
  package static let height = 800.0

  package static let plotLeft = 80.0
  package static let plotRight = 1000.0
  package static let temperatureTop = 100.0
  package static let temperatureBottom = 400.0
  package static let commandTop = 615.0
  package static let commandBottom = 735.0
  package static let legendLeft = 1018.0
  package static let font = "DejaVu Sans, Helvetica, Arial, sans-serif"
  package static let tripColour = "#C00000"

  /// Line style of one series: colour, width and dash pattern (empty: solid).
  package struct Style {
    package var colour: String
    package var width: Double
    package var dash: String

    package var attributes: [(String, String)] {
      var list = [
        ("fill", "none"), ("stroke", colour),
        ("stroke-width", DecimalText.string(width, decimals: 1)),
        ("stroke-linejoin", "round"),
      ]
      if !dash.isEmpty { list.append(("stroke-dasharray", dash)) }
      return list
    }
  }

  package static let sensorColours = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F", "#8C510A",
  ]
  package static let sensorDashes = ["", "9 3", "2 2", "9 3 2 3", "5 2", "14 3", "1 3", "5 2 1 2"]
  package static let setpointStyle = Style(colour: "#000000", width: 1.6, dash: "6 4")
  // The sent command is drawn wide and light underneath, so the controller's
  // request and the read-back stay visible on top of it where they coincide.
  package static let sentStyle = Style(colour: "#56B4E9", width: 4, dash: "")
  package static let controllerStyle = Style(colour: "#D55E00", width: 1.4, dash: "6 3")
  package static let readBackStyle = Style(colour: "#000000", width: 1.4, dash: "2 2")

  /// Maps data to drawing coordinates, linearly.
  package struct Scale {
    package var domainLow: Double
    package var domainHigh: Double
    package var rangeLow: Double
    package var rangeHigh: Double

    package func callAsFunction(_ value: Double) -> Double {
      let span = domainHigh - domainLow
      guard span > 0 else { return rangeLow }
      return rangeLow + (value - domainLow) / span * (rangeHigh - rangeLow)
    }
  }

  /// The SVG document (with an XML declaration when `standalone`).
  ///
  /// - Parameter columns: pixel columns for thinning (default: the plot's width).
  package static func svg(_ series: RunSeries, standalone: Bool = true, columns: Int? = nil)
    -> String
  {
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
    windowPanel(series, time: time, columns: columnCount, into: &out)
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
    if !isRecorded(series.sentCommand) && !isRecorded(series.controllerCommand) {
      out.element(
        "text",
        attributes: [
          ("class", "no-command"), ("x", coordinate((plotLeft + plotRight) / 2)),
          ("y", coordinate((commandTop + commandBottom) / 2)), ("text-anchor", "middle"),
          ("fill", "#404040"),
        ], text: "no command recorded")
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
}
