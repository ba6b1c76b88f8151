import ThermalLoop

/// A telemetry sink that keeps a run's records as a ``RunSeries``, for
/// plotting the run it was part of (`devsim run --plot`, `devsim suite --html`).
///
/// Forwards every record to another sink first, so one run can write its
/// telemetry file and be plotted; with `recording` off it only forwards.
/// A long run is thinned while it streams in (``StreamingThinner``), so the
/// memory a plot takes is bounded whatever the run's length.
package struct RunSeriesRecorder<Next: TelemetrySink>: TelemetrySink {
  package private(set) var series: RunSeries
  package var next: Next
  private let recording: Bool
  private var thinner = StreamingThinner()

  /// A recorder for `profile`'s run, forwarding to `next`.
  package init(profile: Profile, provenance: String, next: Next, recording: Bool = true) {
    let ticks = profile.durationNanoseconds / max(1, profile.tickNanoseconds) + 2
    self.init(
      context: TelemetryContext(profile: profile), provenance: provenance,
      sensorNames: profile.sensors.map(\.name), expectedTicks: Int(min(ticks, 10_000_000)),
      next: next, recording: recording)
  }

  /// A recorder for a run described by its context and sensor names.
  package init(
    context: TelemetryContext, provenance: String, sensorNames: [String], expectedTicks: Int,
    next: Next, recording: Bool = true
  ) {
    series = RunSeries(context: context, provenance: provenance, sensorNames: sensorNames)
    self.recording = recording
    if recording { series.reserve(min(max(0, expectedTicks), thinner.startRows + 1)) }
    self.next = next
  }

  package mutating func consume(_ record: TelemetryRecord) {
    next.consume(record)
    guard recording else { return }
    let time = Double(record.timeNanoseconds) * 1e-9
    // devsim's runs end with a repeat of the last tick in the finished state.
    if let last = series.seconds.last, time <= last { return }
    series.seconds.append(time)
    series.phaseIndex.append(record.phaseIndex)
    series.targetCelsius.append(record.targetCelsius)
    for index in series.sensors.indices {
      series.sensors[index].celsius.append(
        index < record.sensorCount ? record.celsius[index] : .nan)
    }
    series.controllerCommand.append(record.controllerCommand)
    series.sentCommand.append(record.sentCommand)
    series.readBack.append(record.readBack)
    series.doseMinutes.append(record.doseMinutes)
    series.noteTrip(record.trippedCheck.map { "\($0.name)" } ?? "", atSeconds: time)
    thinner.didAppend(&series)
  }

  /// Labels the trip markers with what each trip was about (`on plate`),
  /// from the run's trip log.
  package mutating func describeTrips(_ outcome: RunOutcome, profile: Profile) {
    for (index, trip) in outcome.trips.enumerated() where index < series.trips.count {
      series.trips[index].label = "\(trip.check.name)\(Summary.subject(trip.subject, profile))"
    }
  }
}
