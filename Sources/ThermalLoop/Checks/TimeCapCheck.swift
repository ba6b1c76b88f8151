import ApplicatorHAL

/// Time cap: the time spent in treatment phases beyond the planned
/// treatment time times the factor (or an explicit cap) trips. No
/// persistence.
///
/// Measurement: the treatment time, minutes, against the cap.
struct TimeCapCheck: SafetyComponent {
  /// The cap, ns.
  let capNanoseconds: UInt64

  /// Takes the cap of `configuration` for a planned treatment time.
  init(_ configuration: SafetyConfiguration, plannedNanoseconds: UInt64) {
    capNanoseconds = configuration.timeCap(plannedNanoseconds: plannedNanoseconds)
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    let elapsed = tick.input.treatmentElapsedNanoseconds
    let cap = capNanoseconds
    guard elapsed > cap else { return nil }
    let now = tick.nowNanoseconds
    return TripRecord(
      check: .timeCap, subject: .none,
      measurement: .elapsed(minutes: Double(elapsed) / 60e9, limitMinutes: Double(cap) / 60e9),
      conditionSinceNanoseconds: now - min(elapsed - cap, now), detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) {}

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .timeCap ? 0 : nil
  }
}
