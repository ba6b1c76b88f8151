import ApplicatorHAL

/// Actuator read-back: the power stage's measured output (drive current,
/// optical power; read once per tick, before supervision) off the last
/// command by more than the tolerance for the persistence. Off for a stage
/// without read-back or a tick whose read failed.
///
/// Measurement: the measured output, fraction of full scale, against the
/// command ± the tolerance on the measurement's side.
struct ReadBackCheck: SafetyComponent {
  /// The largest |measured − commanded|, fraction of full scale.
  let toleranceFraction: Double
  /// How long the mismatch may last, ns.
  let persistenceNanoseconds: UInt64
  private var mismatch = ConditionTimer()

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    toleranceFraction = configuration.readBackTolerance
    persistenceNanoseconds = configuration.readBackPersistenceNanoseconds
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard let measured = tick.input.readBack else {
      mismatch.clear()
      return nil
    }
    let command = tick.input.lastCommand
    let now = tick.nowNanoseconds
    guard
      let since = mismatch.track(
        !(abs(measured - command) <= toleranceFraction), nowNanoseconds: now,
        persistenceNanoseconds: persistenceNanoseconds)
    else { return nil }
    let edge = command + (measured >= command ? 1 : -1) * toleranceFraction
    return TripRecord(
      check: .actuatorReadBack, subject: .powerStage,
      measurement: .output(fraction: measured, limitFraction: edge),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) { mismatch.clear() }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .actuatorReadBack ? persistenceNanoseconds : nil
  }
}
