import ApplicatorHAL

/// Actuator read-back: the power stage's measured output (drive current,
/// optical power; read once per tick, before supervision) off the last
/// command by more than the tolerance for the persistence. Off for a stage
/// without read-back. A read-back that failed (a failed fetch, `ERR`, a
/// not-a-number) cannot confirm the output: it counts as a mismatch, so a
/// run of failed reads never resets the timer and never switches the check
/// off. A tick without a read-back trips at the stale-data time (1 s by
/// default) rather than the read-back persistence, so a rig that stops
/// answering altogether is reported as stale data, its root cause.
///
/// Measurement: the measured output, fraction of full scale, against the
/// command ± the tolerance on the measurement's side; when the trip's own
/// tick had no read-back, how long the output went unconfirmed, seconds,
/// against the persistence.
struct ReadBackCheck: SafetyComponent {
  /// The largest |measured − commanded|, fraction of full scale.
  let toleranceFraction: Double
  /// How long the mismatch may last, ns.
  let persistenceNanoseconds: UInt64
  /// How long the output may go without any read-back, ns: the longer of
  /// the persistence and the stale-data trip time.
  let unconfirmedNanoseconds: UInt64
  private var mismatch = ConditionTimer()

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    toleranceFraction = configuration.readBackTolerance
    persistenceNanoseconds = configuration.readBackPersistenceNanoseconds
    unconfirmedNanoseconds = max(
      configuration.readBackPersistenceNanoseconds, configuration.staleTripNanoseconds)
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    let failed = tick.input.readBackFault != nil
    guard let measured = tick.input.readBack ?? (failed ? Double.nan : nil) else {
      mismatch.clear()
      return nil
    }
    let command = tick.input.lastCommand
    let now = tick.nowNanoseconds
    guard
      let since = mismatch.track(
        !(abs(measured - command) <= toleranceFraction), nowNanoseconds: now,
        persistenceNanoseconds: measured.isNaN ? unconfirmedNanoseconds : persistenceNanoseconds)
    else { return nil }
    let edge = command + (measured >= command ? 1 : -1) * toleranceFraction
    let measurement: SafetyMeasurement =
      measured.isNaN
      ? .unconfirmed(
        seconds: Double(now - since) * 1e-9, limitSeconds: Double(unconfirmedNanoseconds) * 1e-9)
      : .output(fraction: measured, limitFraction: edge)
    return TripRecord(
      check: .actuatorReadBack, subject: .powerStage, measurement: measurement,
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) { mismatch.clear() }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    guard trip.check == .actuatorReadBack else { return nil }
    return trip.measurement.quantity == .unconfirmed
      ? unconfirmedNanoseconds : persistenceNanoseconds
  }
}
