import ThermalLoop

/// The window panel: a band zoom under the full-range temperature panel, so
/// the hold can be judged. Its axis spans the window widened by
/// ``windowMargin(_:)`` on each side (a 2 °C cryolipolysis window on
/// −14 … −10 °C rather than a sliver of a −20 … 40 °C axis); it shows the
/// window as a band over the treatment phases and as dashed limit lines
/// over the whole run, the phase setpoint, and the control sensor. What
/// leaves the zoom is clipped at the panel's edge (a nested `svg` element,
/// which clips to its viewport): the full range is in the panel above.
///
/// Classes: `window-panel` (the group, with `data-low` and `data-high`, the
/// axis's ends in °C), `window-zoom-band`, `window-limit`,
/// `window-setpoint`, `window-probe` (with `data-series`).
extension RunPlot {
  package static let windowTop = 430.0
  package static let windowBottom = 580.0

  /// How far beyond each window limit the zoom reaches, °C: half the
  /// window's width, at least 0.5 °C (the window fills half the panel).
  package static func windowMargin(_ window: TemperatureWindow) -> Double {
    max(abs(window.highCelsius - window.lowCelsius) / 2, 0.5)
  }

  /// The zoom's axis: the window ± ``windowMargin(_:)``, widened to nice ticks.
  package static func windowAxis(_ series: RunSeries) -> NiceTicks {
    let window = series.context.window
    let margin = windowMargin(window)
    return NiceTicks(
      low: min(window.lowCelsius, window.highCelsius) - margin,
      high: max(window.lowCelsius, window.highCelsius) + margin, targetCount: 4)
  }

  package static func windowPanel(
    _ series: RunSeries, time: Scale, columns: Int, into out: inout MarkupWriter
  ) {
    let ticks = windowAxis(series)
    let scale = Scale(
      domainLow: ticks.low, domainHigh: ticks.high, rangeLow: windowBottom, rangeHigh: windowTop)
    grid(
      ticks, scale: scale, top: windowTop, bottom: windowBottom, title: "window zoom (°C)",
      into: &out)
    let window = series.context.window
    let control = series.sensors.firstIndex { $0.name == series.context.controlSensor }
    out.open(
      "g",
      attributes: [
        ("class", "window-panel"), ("data-low", DecimalText.string(ticks.low, decimals: 3)),
        ("data-high", DecimalText.string(ticks.high, decimals: 3)),
      ])
    let top = coordinate(scale(window.highCelsius))
    let height = coordinate(scale(window.lowCelsius) - scale(window.highCelsius))
    for (start, end) in treatmentSpans(series) {
      out.element(
        "rect",
        attributes: [
          ("class", "window-zoom-band"), ("x", coordinate(time(start))), ("y", top),
          ("width", coordinate(max(time(end) - time(start), 1))), ("height", height),
          ("fill", "#2CA02C"), ("fill-opacity", "0.16"),
        ])
    }
    for limit in [window.lowCelsius, window.highCelsius] {
      let y = coordinate(scale(limit))
      out.element(
        "line",
        attributes: [
          ("class", "window-limit"), ("x1", coordinate(plotLeft)), ("x2", coordinate(plotRight)),
          ("y1", y), ("y2", y), ("stroke", "#2CA02C"), ("stroke-width", "1.4"),
          ("stroke-dasharray", "4 3"),
        ])
    }
    // A nested viewport with the panel's own coordinates: it clips what leaves the zoom.
    let box = [plotLeft, windowTop, plotRight - plotLeft, windowBottom - windowTop].map(coordinate)
    out.open(
      "svg",
      attributes: [
        ("x", box[0]), ("y", box[1]), ("width", box[2]), ("height", box[3]),
        ("viewBox", box.joined(separator: " ")), ("overflow", "hidden"),
      ])
    out.element(
      "path",
      attributes: [("class", "series window-setpoint"), ("d", steppedPath(series, time, scale))]
        + setpointStyle.attributes)
    if let control {
      let sensor = series.sensors[control]
      out.element(
        "path",
        attributes: [
          ("class", "series window-probe"), ("data-series", sensor.name),
          ("d", path(series.seconds, sensor.celsius, time, scale, columns)),
        ] + sensorStyle(control, sensor.name, series.context).attributes)
    }
    out.close()
    let note =
      control == nil
      ? "the control sensor \(series.context.controlSensor) is not recorded"
      : "\(series.context.controlSensor) (control) and setpoint, window "
        + "\(celsius(window.lowCelsius)) … \(celsius(window.highCelsius)) °C"
    out.element(
      "text",
      attributes: [
        ("class", "window-note"), ("x", coordinate(plotLeft + 6)),
        ("y", coordinate(windowTop + 14)),
        ("font-size", "11"), ("fill", "#404040"),
      ], text: note)
    out.close()
  }
}
