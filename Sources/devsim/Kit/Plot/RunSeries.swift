/// Everything a run plot shows, as columns of numbers: one entry per tick.
///
/// Filled from a run in memory (``RunSeriesRecorder``) or from a telemetry
/// file (``TelemetryFile``); ``RunPlot`` draws it.
package struct RunSeries {
  /// One temperature sensor (plate, redundant plate, depth probe, heat sink).
  package struct Sensor {
    package var name: String
    /// °C per tick; NaN where the read failed.
    package var celsius: [Double] = []
  }

  /// A latched trip: when it was detected and what fired.
  package struct TripMark: Equatable {
    package var seconds: Double
    /// The check's name, and what it was about when known (`sensor-plausibility on plate`).
    package var label: String
  }

  /// The run's facts: mode, window, sensors of note, phases.
  package var context: TelemetryContext
  /// A line under the title: the tool, the seed, the profile.
  package var provenance: String
  /// Time of each tick since the run start, s.
  package var seconds: [Double] = []
  /// The phase running at each tick (index into `context.phases`).
  package var phaseIndex: [Int] = []
  /// The phase's setpoint at each tick, °C.
  package var targetCelsius: [Double] = []
  package var sensors: [Sensor]
  /// What the controller asked for, fraction of full scale.
  package var controllerCommand: [Double] = []
  /// What reached the power stage after the supervisor, fraction of full scale.
  package var sentCommand: [Double] = []
  /// The stage's measured output, fraction of full scale; NaN without read-back.
  package var readBack: [Double] = []
  /// The dose so far at each tick, minutes (see ``TelemetryRecord/doseMinutes``).
  package var doseMinutes: [Double] = []
  package var trips: [TripMark] = []
  /// When a latched trip cleared (an accepted operator reset), s.
  package var resets: [Double] = []
  /// The last trip check seen, to mark each new latch once.
  private var latched: String = ""

  /// An empty series for the given run.
  package init(context: TelemetryContext, provenance: String, sensorNames: [String]) {
    self.context = context
    self.provenance = provenance
    sensors = sensorNames.map { Sensor(name: $0) }
  }

  /// Reserves room for `ticks` ticks.
  package mutating func reserve(_ ticks: Int) {
    seconds.reserveCapacity(ticks)
    phaseIndex.reserveCapacity(ticks)
    targetCelsius.reserveCapacity(ticks)
    controllerCommand.reserveCapacity(ticks)
    sentCommand.reserveCapacity(ticks)
    readBack.reserveCapacity(ticks)
    doseMinutes.reserveCapacity(ticks)
    for index in sensors.indices { sensors[index].celsius.reserveCapacity(ticks) }
  }

  /// Notes the trip column of a tick: a new check name marks a trip; an
  /// empty one after a trip marks a reset and re-arms the marker.
  package mutating func noteTrip(_ check: String, atSeconds time: Double) {
    guard check != latched else { return }
    if check.isEmpty {
      resets.append(time)
    } else {
      trips.append(TripMark(seconds: time, label: check))
    }
    latched = check
  }

  /// The number of ticks.
  package var count: Int { seconds.count }

  /// The final dose, minutes (0 for an empty run).
  package var finalDoseMinutes: Double { doseMinutes.last ?? 0 }

  /// The dose in words, as the run summary writes it.
  package var doseText: String {
    guard finalDoseMinutes.isFinite else { return "dose not recorded" }
    let amount = DecimalText.string(finalDoseMinutes, decimals: 2)
    switch context.mode {
    case .cryolipolysis:
      return "dose \(amount) min at or below +10 °C at \(context.doseSensor)"
    case .laserLipolysis:
      return "dose CEM43 \(amount) min at \(context.doseSensor)"
    }
  }
}
