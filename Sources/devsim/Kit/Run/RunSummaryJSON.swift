import ThermalLoop

/// `devsim run --json FILE`: the run's summary for programs, one JSON
/// object. The schema (`"schema": "devsim-run-summary/1"`) is documented in
/// the README ("JSON summary of a run"); a field is only ever added.
package enum RunSummaryJSON {
  /// The schema's name and version.
  package static let schema = "devsim-run-summary/1"

  /// The summary of `outcome` for `profile` (loaded from `path`), judged by `failures`.
  package static func render(
    profile: Profile, path: String, sha256: String, seed: UInt64, outcome: RunOutcome,
    failures: [String]
  ) -> String {
    let result =
      outcome.end == .stopped ? "stopped" : failures.isEmpty ? "pass" : "fail"
    var fields: [(String, String)] = [
      ("schema", JSONText.quoted(schema)),
      ("devsim", JSONText.quoted(Version.string)),
      ("profile", JSONText.quoted(path)),
      ("name", JSONText.quoted(profile.name)),
      (
        "mode",
        JSONText.quoted(profile.mode == .cryolipolysis ? "cryolipolysis" : "laser-lipolysis")
      ),
      ("profileSha256", JSONText.quoted(sha256)),
      ("seed", String(seed)),
      ("result", JSONText.quoted(result)),
      ("end", JSONText.quoted(endName(outcome.end))),
      ("failures", "[" + failures.map(JSONText.quoted).joined(separator: ",") + "]"),
      (
        "window",
        object([
          ("lowCelsius", number(profile.window.lowCelsius)),
          ("highCelsius", number(profile.window.highCelsius)),
          ("sensor", JSONText.quoted(profile.sensors[profile.controlIndex].name)),
        ])
      ),
    ]
    var phases: [String] = []
    for (index, phase) in profile.phases.enumerated() {
      let metrics = outcome.metrics.phases[index]
      var entry: [(String, String)] = [
        ("name", JSONText.quoted(phase.name)),
        ("kind", JSONText.quoted(phase.phase.kind == .treatment ? "treatment" : "transition")),
        ("setpointCelsius", number(phase.phase.setpointCelsius)),
        ("plannedSeconds", seconds(phase.phase.durationNanoseconds)),
        ("ranSeconds", seconds(metrics.elapsedNanoseconds)),
      ]
      if phase.phase.kind == .treatment {
        entry += [
          ("firstEntrySeconds", metrics.firstEntryNanoseconds.map(seconds) ?? "null"),
          ("timeInWindow", metrics.timeInWindowFraction.map { number($0, decimals: 6) } ?? "null"),
          ("settlingSeconds", metrics.settlingNanoseconds.map(seconds) ?? "null"),
          ("overshootCelsius", number(metrics.overshootCelsius)),
          ("iaeCelsiusSeconds", number(metrics.integratedAbsoluteErrorCelsiusSeconds, decimals: 1)),
        ]
      }
      phases.append(object(entry))
    }
    fields.append(("phases", "[" + phases.joined(separator: ",") + "]"))
    let sensors = profile.sensors.enumerated().map { index, sensor in
      object([
        ("name", JSONText.quoted(sensor.name)),
        ("minCelsius", number(outcome.metrics.minimumCelsius[index])),
        ("maxCelsius", number(outcome.metrics.maximumCelsius[index])),
      ])
    }
    fields.append(("sensors", "[" + sensors.joined(separator: ",") + "]"))
    let doseSensor = JSONText.quoted(profile.sensors[profile.doseIndex].name)
    fields.append(
      (
        "dose",
        profile.mode == .cryolipolysis
          ? object([
            ("sensor", doseSensor),
            ("minutesAtOrBelow10Celsius", number(outcome.metrics.minutesAtOrBelowLipidThreshold)),
          ])
          : object([
            ("sensor", doseSensor), ("cem43Minutes", number(outcome.metrics.cem43Minutes)),
          ])
      ))
    let trips = zip(outcome.trips, outcome.reactionBounds).map { trip, bound in
      let fromOnset =
        trip.detectedNanoseconds - min(trip.conditionSinceNanoseconds, trip.detectedNanoseconds)
      return object([
        ("check", JSONText.quoted("\(trip.check.name)")),
        ("subject", JSONText.quoted(Summary.subject(trip.subject, profile).trimmingWhitespace())),
        ("detectedSeconds", seconds(trip.detectedNanoseconds)),
        (
          "reactionFromInjectionSeconds",
          seconds(
            ExpectationCheck.reactionNanoseconds(trip, origin: outcome.reactionOriginNanoseconds))
        ),
        ("reactionFromOnsetSeconds", seconds(fromOnset)),
        ("reactionBoundSeconds", seconds(bound)),
        ("reading", trip.reading.isFinite ? number(trip.reading, decimals: 4) : "null"),
        ("limit", trip.limit.isFinite ? number(trip.limit, decimals: 4) : "null"),
        (
          "unit",
          trip.limit.isFinite || trip.reading.isFinite
            ? JSONText.quoted("\(trip.measurement.unit.symbol)") : "null"
        ),
      ])
    }
    fields.append(("trips", "[" + trips.joined(separator: ",") + "]"))
    fields.append(
      (
        "time",
        object([
          ("simulatedSeconds", seconds(outcome.simulatedNanoseconds)),
          ("wallSeconds", number(outcome.wallSeconds, decimals: 4)),
          ("ticks", String(outcome.ticks)),
          ("overruns", String(outcome.overruns)),
          ("skippedPeriods", String(outcome.skippedPeriods)),
        ])
      ))
    return object(fields) + "\n"
  }

  /// The JSON names of a run's end.
  static func endName(_ end: RunEnd) -> String {
    switch end {
    case .completed: "completed"
    case .tripped: "tripped"
    case .stopped: "stopped"
    }
  }

  private static func object(_ fields: [(String, String)]) -> String {
    "{" + fields.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
  }

  private static func number(_ value: Double, decimals: Int = 3) -> String {
    value.isFinite ? DecimalText.string(value, decimals: decimals) : "null"
  }

  private static func seconds(_ nanoseconds: UInt64) -> String {
    DecimalText.string(Double(nanoseconds) * 1e-9, decimals: 3)
  }
}
