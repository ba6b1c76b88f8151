import ApplicatorLinux
import ThermalLoop

/// One trip as a suite reports it, with its reaction times.
package struct SuiteTrip {
  package var check: String
  package var subject: String
  /// From the first injected fault (or the run start) to detection, ns.
  package var fromInjectionNanoseconds: UInt64
  /// From the onset of the check's condition to detection, ns.
  package var fromOnsetNanoseconds: UInt64
  /// The check's bound on `fromOnsetNanoseconds`: persistence plus one sample period.
  package var boundNanoseconds: UInt64
  package var detectedNanoseconds: UInt64
  /// The reading and the limit it crossed, with their unit
  /// (``Summary/measurement(_:)``); empty when the trip carries none.
  package var measurement = ""
}

/// The result of one scenario of a suite.
package struct SuiteCaseResult {
  /// The file, as found.
  package var path: String
  package var name: String
  package var mode: String
  package var seed: UInt64
  package var sha256: String
  /// Expectations not met; empty when the case passed.
  package var failures: [String]
  /// Set when the file could not be read or decoded (the case is an error, not a failure).
  package var error: String?
  /// The error behind ``error``, for the command layer's exit code.
  package var loadError: KitError? = nil
  /// Named figures: time in window, settling, overshoot, dose.
  package var metrics: [(name: String, value: String)]
  package var trips: [SuiteTrip]
  package var wallSeconds: Double
  /// Time in window per treatment phase, for the HTML report.
  package var windowFractions: [(phase: String, fraction: Double)] = []
  /// The dose in words, for the HTML report.
  package var doseText = ""
  /// The run's plot (an SVG element), when the suite draws them.
  package var plot: String? = nil
  /// The loosenings of the mode's absolute limits the scenario declares.
  package var relaxations: [Relaxation] = []
  /// Warnings about the simulated tissue (``Summary/tissueWarnings(_:_:)``).
  package var warnings: [String] = []
  /// The profile's description.
  package var description = ""
  /// The catalogue IDs the profile lists in `verifies`; `nil` without the list.
  package var verifies: [String]? = nil
  /// The checks the profile expects to trip, in order.
  package var expectedChecks: [String] = []
  /// A replayed trace's path and the SHA-256 of its bytes.
  package var trace: (path: String, sha256: String)? = nil

  package var passed: Bool { failures.isEmpty && error == nil }
}

/// Runs one scenario: a profile, on the simulated applicator, at maximum speed,
/// with telemetry into a discarding sink (or recorded and drawn, with `plot`).
package enum SuiteCase {
  /// Pixel columns of a plot inlined in a suite report: half the standalone
  /// plot's, which keeps a report of many scenarios a few megabytes.
  package static let plotColumns = 460

  /// The decimals a metric is written with, by its name (the JSON report
  /// holds it as a number; a merge writes it back with these).
  package static func metricDecimals(_ name: String) -> Int {
    if name.hasSuffix(".timeInWindow") { return 4 }
    if name.hasSuffix(".settlingSeconds") { return 1 }
    if name.hasSuffix(".overshootCelsius") { return 3 }
    return 2
  }

  /// With a `catalogue`, the profile's `verifies` IDs are checked against
  /// it (an unknown ID is a load error, like a bad profile).
  package static func run(
    _ path: String, plot: Bool = false, catalogue: RequirementCatalogue? = nil
  ) -> SuiteCaseResult {
    let started = MonotonicClock.rawNanoseconds()
    var result = SuiteCaseResult(
      path: path, name: path, mode: "", seed: 0, sha256: "", failures: [], error: nil,
      metrics: [], trips: [], wallSeconds: 0)
    let loaded: LoadedProfile
    do throws(KitError) {
      loaded = try ProfileLoader.load(path)
    } catch {
      result.error = error.message
      result.loadError = error
      return result
    }
    let profile = loaded.profile
    if let catalogue, let references = profile.verifies {
      do throws(DataError) {
        try catalogue.check(references, file: path)
      } catch {
        result.error = error.message
        result.loadError = .data(error)
        return result
      }
    }
    result.name = profile.name
    result.description = profile.description
    result.verifies = profile.verifies?.map(\.id)
    result.expectedChecks = profile.expect.trips.map { "\($0.check.name)" }
    if let tracePath = profile.replayPath,
      let bytes = try? InputFile.read(tracePath, maximumBytes: InputFile.maximumRecordingBytes)
    {
      result.trace = (tracePath, SHA256.hex(bytes))
    }
    result.relaxations = profile.relaxations
    result.mode = profile.mode == .cryolipolysis ? "cryolipolysis" : "laser-lipolysis"
    result.seed = profile.seed
    result.sha256 = loaded.sha256
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: profile.seed, profilePath: path,
      profileSHA256: loaded.sha256)
    var sink = RunSeriesRecorder(
      profile: profile, provenance: provenance.line, next: DiscardingSink(), recording: plot)
    let outcome: RunOutcome
    do throws(KitError) {
      outcome = try Scenario.run(
        profile, seed: profile.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    } catch {
      result.error = error.message
      result.loadError = error
      return result
    }
    if plot {
      sink.describeTrips(outcome, profile: profile)
      result.plot = RunPlot.svg(sink.series, standalone: false, columns: plotColumns)
    }
    result.failures = ExpectationCheck.failures(profile, outcome)
    result.warnings = Summary.tissueWarnings(profile, outcome)
    for (trip, bound) in zip(outcome.trips, outcome.reactionBounds) {
      let fromOnset =
        trip.detectedNanoseconds - min(trip.conditionSinceNanoseconds, trip.detectedNanoseconds)
      result.trips.append(
        SuiteTrip(
          check: "\(trip.check.name)", subject: Summary.subject(trip.subject, profile),
          fromInjectionNanoseconds: ExpectationCheck.reactionNanoseconds(
            trip, origin: outcome.reactionOriginNanoseconds),
          fromOnsetNanoseconds: fromOnset, boundNanoseconds: bound,
          detectedNanoseconds: trip.detectedNanoseconds,
          measurement: Summary.measurement(trip.measurement)))
      if trip.safeStateNanoseconds != trip.detectedNanoseconds {
        result.failures.append(
          "\(trip.check.name) reached the safe state at \(Summary.seconds(trip.safeStateNanoseconds)), "
            + "not in the tick that detected it (\(Summary.seconds(trip.detectedNanoseconds)))")
      }
      if fromOnset > bound {
        result.failures.append(
          "\(trip.check.name) took \(Summary.seconds(fromOnset)) from the onset of its condition, "
            + "more than its bound \(Summary.seconds(bound)) (persistence plus one sample period)")
      }
    }
    for (index, phase) in profile.phases.enumerated() where phase.phase.kind == .treatment {
      let metrics = outcome.metrics.phases[index]
      if let fraction = metrics.timeInWindowFraction {
        result.windowFractions.append((phase.name, fraction))
        result.metrics.append(
          ("\(phase.name).timeInWindow", DecimalText.string(fraction, decimals: 4)))
      }
      if let settling = metrics.settlingNanoseconds {
        result.metrics.append(
          (
            "\(phase.name).settlingSeconds",
            DecimalText.string(Double(settling) * 1e-9, decimals: 1)
          ))
      }
      result.metrics.append(
        (
          "\(phase.name).overshootCelsius",
          DecimalText.string(metrics.overshootCelsius, decimals: 3)
        ))
    }
    switch profile.mode {
    case .cryolipolysis:
      result.metrics.append(
        (
          "doseMinutesAtOrBelow10C",
          DecimalText.string(outcome.metrics.minutesAtOrBelowLipidThreshold, decimals: 2)
        ))
    case .laserLipolysis:
      result.metrics.append(
        ("cem43Minutes", DecimalText.string(outcome.metrics.cem43Minutes, decimals: 2)))
    }
    let doseSensor = profile.sensors[profile.doseIndex].name
    switch profile.mode {
    case .cryolipolysis:
      result.doseText =
        "\(DecimalText.string(outcome.metrics.minutesAtOrBelowLipidThreshold, decimals: 2)) min "
        + "at or below +10 °C at \(doseSensor)"
    case .laserLipolysis:
      result.doseText =
        "CEM43 \(DecimalText.string(outcome.metrics.cem43Minutes, decimals: 2)) min at \(doseSensor)"
    }
    result.wallSeconds = Double(MonotonicClock.rawNanoseconds() - started) * 1e-9
    return result
  }
}
