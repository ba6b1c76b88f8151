import ThermalLoop

/// Mean |command| and total command movement over a run (actuator effort),
/// and how far beyond the window the controlled reading went after its
/// first entry in one treatment phase (either side).
package struct EffortSink: TelemetrySink {
  package let controlIndex: Int
  package let window: TemperatureWindow
  package let phaseIndex: Int
  private var entered = false
  /// The furthest the controlled reading went beyond the window after the first entry, °C.
  package private(set) var beyondWindowCelsius = 0.0
  private var lastNanoseconds: UInt64? = nil
  private var lastCommand = 0.0
  private var weighted = 0.0
  private var spanNanoseconds: UInt64 = 0
  /// Σ |Δcommand| over the run.
  package private(set) var movement = 0.0

  package init(controlIndex: Int, window: TemperatureWindow, phaseIndex: Int) {
    self.controlIndex = controlIndex
    self.window = window
    self.phaseIndex = phaseIndex
  }

  package mutating func consume(_ record: TelemetryRecord) {
    let celsius = record.celsius[controlIndex]
    if record.phaseIndex == phaseIndex, record.state != .finished, celsius.isFinite {
      if window.contains(celsius) { entered = true }
      if entered {
        beyondWindowCelsius = max(
          beyondWindowCelsius, window.lowCelsius - celsius, celsius - window.highCelsius)
      }
    }
    if let last = lastNanoseconds, record.timeNanoseconds > last {
      let dt = record.timeNanoseconds - last
      weighted += abs(lastCommand) * Double(dt)
      spanNanoseconds += dt
      movement += abs(record.sentCommand - lastCommand)
    }
    lastNanoseconds = record.timeNanoseconds
    lastCommand = record.sentCommand
  }

  /// Time-weighted mean |command|, fraction of full scale.
  package var meanMagnitude: Double { spanNanoseconds > 0 ? weighted / Double(spanNanoseconds) : 0 }
}

/// One controller's figures in a comparison, for the first treatment phase.
package struct ComparisonRow {
  package var name: String
  package var gains: PIDGains
  package var outcome: RunOutcome
  package var effort: EffortSink
  package var phase: PhaseMetrics
}

/// Runs a profile's treatment with three controllers on the same seeded
/// plant: the profile's gains, autotuned gains, and the model-based
/// controller.
package enum Comparison {
  package static func run(_ profile: Profile, tuning: TuningOutcome, seed: UInt64)
    -> [ComparisonRow]
  {
    var hand = profile
    hand.modelControl = nil
    var tuned = hand
    tuned.gains = tuning.gains
    var model = tuned
    model.modelControl = tuning.model.map { ModelControlSettings(model: $0) }
    let treatment = profile.phases.firstIndex { $0.phase.kind == .treatment } ?? 0
    return [("hand-tuned", hand), ("autotuned", tuned), ("model-based", model)].map {
      name, variant in
      var sink = EffortSink(
        controlIndex: variant.controlIndex, window: variant.window, phaseIndex: treatment)
      let outcome = Simulation.run(
        variant, seed: seed, pacing: .maximum, sink: &sink, stop: NeverStop())
      return ComparisonRow(
        name: name, gains: variant.gains, outcome: outcome, effort: sink,
        phase: outcome.metrics.phases[treatment])
    }
  }

  /// The table `devsim compare` prints.
  package static func table(_ rows: [ComparisonRow], window: TemperatureWindow) -> String {
    // A Markdown table: a pipe inside a cell is escaped (`\|`), or it would end the cell.
    let header = [
      "controller", "in window", "beyond", "first entry", "settling", "overshoot", "IAE °C·s",
      "mean \\|u\\|", "Σ\\|Δu\\|", "trips",
    ]
    var body: [[String]] = []
    for row in rows {
      let p = row.phase
      let entry = p.firstEntryNanoseconds.map { Summary.clock($0 - p.startNanoseconds) } ?? "never"
      let settling = p.settlingNanoseconds.map { Summary.clock($0) } ?? "not settled"
      let inWindow = p.timeInWindowFraction.map { Summary.percent($0) } ?? "n/a"
      let beyond = DecimalText.string(row.effort.beyondWindowCelsius, decimals: 2) + " °C"
      let trips =
        row.outcome.trips.isEmpty
        ? "none"
        : row.outcome.trips.map { "\($0.check.name)" }
          .joined(separator: ",")
      body.append([
        row.name, inWindow, beyond, entry, settling,
        DecimalText.string(p.overshootCelsius, decimals: 2) + " °C",
        DecimalText.string(p.integratedAbsoluteErrorCelsiusSeconds, decimals: 1),
        DecimalText.string(row.effort.meanMagnitude, decimals: 3),
        DecimalText.string(row.effort.movement, decimals: 1), trips,
      ])
    }
    let widths = header.indices.map { column in
      ([header[column]] + body.map { $0[column] }).map(\.count).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      "| "
        + cells.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }
        .joined(separator: " | ") + " |"
    }
    var lines = [
      line(header),
      "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|",
    ]
    lines += body.map(line)
    return lines.joined(separator: "\n") + "\n"
  }
}
