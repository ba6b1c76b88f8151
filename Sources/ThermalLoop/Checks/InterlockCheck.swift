import ApplicatorHAL

/// Interlocks: the contact (vacuum) or the coolant flow open for its own
/// persistence trips, naming which.
///
/// Measurement: none (an interlock is made or open; the trip's subject
/// names which, its onset when it opened).
struct InterlockCheck: SafetyComponent {
  /// How long the contact may be open, ns.
  let contactPersistenceNanoseconds: UInt64
  /// How long the coolant flow may be lost, ns.
  let coolantPersistenceNanoseconds: UInt64
  private var contactOpen = ConditionTimer()
  private var coolantOpen = ConditionTimer()

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    contactPersistenceNanoseconds = configuration.contactPersistenceNanoseconds
    coolantPersistenceNanoseconds = configuration.coolantPersistenceNanoseconds
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    let now = tick.nowNanoseconds
    let interlocks = tick.input.interlocks
    if let since = contactOpen.track(
      !interlocks.contactMade, nowNanoseconds: now,
      persistenceNanoseconds: contactPersistenceNanoseconds)
    {
      return trip(.contact, since, now)
    }
    if let since = coolantOpen.track(
      !interlocks.coolantFlowing, nowNanoseconds: now,
      persistenceNanoseconds: coolantPersistenceNanoseconds)
    {
      return trip(.coolant, since, now)
    }
    return nil
  }

  private func trip(_ kind: InterlockKind, _ since: UInt64, _ now: UInt64) -> TripRecord {
    TripRecord(
      check: .interlock, subject: .interlock(kind), measurement: .none,
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func isCausePresent(of trip: TripRecord, _ tick: inout SafetyTick) -> Bool? {
    guard trip.check == .interlock else { return nil }
    guard case .interlock(let kind) = trip.subject else { return false }
    let interlocks = tick.input.interlocks
    return kind == .contact ? !interlocks.contactMade : !interlocks.coolantFlowing
  }

  mutating func reset(nowNanoseconds: UInt64) {
    contactOpen.clear()
    coolantOpen.clear()
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    guard trip.check == .interlock else { return nil }
    if case .interlock(.contact) = trip.subject { return contactPersistenceNanoseconds }
    return coolantPersistenceNanoseconds
  }
}
