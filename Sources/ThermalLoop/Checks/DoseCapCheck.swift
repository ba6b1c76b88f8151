import ApplicatorHAL

/// Dose cap (laser lipolysis): CEM43 at the dose probe beyond the cap
/// trips. The dose is the supervisor's one ``DoseAccumulator``, the figure
/// telemetry shows; the cap is the plan's dose (the window's upper edge
/// held for the planned treatment time, or the profile's) times the
/// factor. No persistence.
///
/// Measurement: the dose, CEM43 minutes, against the cap.
struct DoseCapCheck: SafetyComponent {
  /// Whether it runs.
  let isEnabled: Bool
  /// The cap, CEM43 minutes.
  let capMinutes: Double

  /// Takes the cap of `configuration` for a plan's window and treatment time.
  init(_ configuration: SafetyConfiguration, window: TemperatureWindow, plannedNanoseconds: UInt64)
  {
    isEnabled = configuration.doseCapEnabled
    capMinutes = configuration.doseCapMinutes(
      window: window, plannedNanoseconds: plannedNanoseconds)
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard isEnabled, tick.doseIndex >= 0,
      tick.cem43Minutes > capMinutes
    else { return nil }
    let now = tick.nowNanoseconds
    return TripRecord(
      check: .doseCap, subject: .sensor(tick.doseIndex),
      measurement: .dose(cem43Minutes: tick.cem43Minutes, limitCem43Minutes: capMinutes),
      conditionSinceNanoseconds: now, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) {}

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .doseCap ? 0 : nil
  }
}
