/// What the plot marks on and around the data: the heading, the window band,
/// phases, trips, resets, the legend.
extension RunPlot {
  package static func heading(_ series: RunSeries, into out: inout MarkupWriter) {
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

  package static func windowBand(
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
  package static func treatmentSpans(_ series: RunSeries) -> [(Double, Double)] {
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

  package static func phaseBoundaries(
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
        previous < series.context.phases.count
        ? series.context.phases[previous].name : "phase not recorded"
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

  package static let resetColour = "#0B5D1E"

  /// Accepted operator resets: where a latched trip cleared.
  package static func resetMarkers(_ series: RunSeries, time: Scale, into out: inout MarkupWriter) {
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

  package static func tripMarkers(_ series: RunSeries, time: Scale, into out: inout MarkupWriter) {
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

  package static func legend(_ series: RunSeries, into out: inout MarkupWriter) {
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
    if isRecorded(series.targetCelsius) { entry("setpoint", line(setpointStyle)) }
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
    if isRecorded(series.sentCommand) { entry("sent to stage", line(sentStyle)) }
    if isRecorded(series.controllerCommand) { entry("controller", line(controllerStyle)) }
    if hasReadBack(series) { entry("read-back", line(readBackStyle)) }
    if !series.trips.isEmpty {
      entry("trip", line(Style(colour: tripColour, width: 2, dash: "8 3")))
    }
    if !series.resets.isEmpty {
      entry("reset", line(Style(colour: resetColour, width: 2, dash: "2 3")))
    }
    out.close()
  }

  package static func sensorStyle(_ index: Int, _ name: String, _ context: TelemetryContext)
    -> Style
  {
    let isControl = name == context.controlSensor
    return Style(
      colour: sensorColours[index % sensorColours.count], width: isControl ? 2.2 : 1.6,
      dash: sensorDashes[index % sensorDashes.count])
  }
}
