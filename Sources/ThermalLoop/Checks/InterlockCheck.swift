import ApplicatorHAL

/// Interlocks: the contact (vacuum) or the coolant flow open for its own
/// persistence trips, naming which; an operator's key switch turned off
/// trips at once, naming the key switch (it opens every interlock, which
/// must not be reported as a lost contact); interlocks that could not be
/// read trip after the shorter of the two persistences, naming the fault
/// that kept them from being read (they count as open).
///
/// Measurement: none (an interlock is made or open; the trip's subject
/// names which, or the read fault, its onset when it opened).
struct InterlockCheck: SafetyComponent {
  /// How long the contact may be open, ns.
  let contactPersistenceNanoseconds: UInt64
  /// How long the coolant flow may be lost, ns.
  let coolantPersistenceNanoseconds: UInt64
  private var contactOpen = ConditionTimer()
  private var coolantOpen = ConditionTimer()
  private var unreadable = ConditionTimer()

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    contactPersistenceNanoseconds = configuration.contactPersistenceNanoseconds
    coolantPersistenceNanoseconds = configuration.coolantPersistenceNanoseconds
  }

  /// How long the interlocks may go unread, ns: the shorter persistence.
  var unreadablePersistenceNanoseconds: UInt64 {
    min(contactPersistenceNanoseconds, coolantPersistenceNanoseconds)
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    let now = tick.nowNanoseconds
    let interlocks = tick.input.interlocks
    if let fault = interlocks.readFault {
      if let since = unreadable.track(
        true, nowNanoseconds: now, persistenceNanoseconds: unreadablePersistenceNanoseconds)
      {
        return TripRecord(
          check: .interlock, subject: .interlocksUnreadable(fault), measurement: .none,
          conditionSinceNanoseconds: since, detectedNanoseconds: now)
      }
    } else {
      unreadable.clear()
      if !interlocks.keySwitchOn { return trip(.keySwitch, now, now) }
    }
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
    let interlocks = tick.input.interlocks
    switch trip.subject {
    case .interlock(.contact): return !interlocks.contactMade
    case .interlock(.coolant): return !interlocks.coolantFlowing
    case .interlock(.keySwitch): return !interlocks.keySwitchOn || interlocks.readFault != nil
    case .interlocksUnreadable: return interlocks.readFault != nil
    default: return false
    }
  }

  mutating func reset(nowNanoseconds: UInt64) {
    contactOpen.clear()
    coolantOpen.clear()
    unreadable.clear()
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    guard trip.check == .interlock else { return nil }
    switch trip.subject {
    case .interlock(.contact): return contactPersistenceNanoseconds
    case .interlock(.keySwitch): return 0
    case .interlocksUnreadable: return unreadablePersistenceNanoseconds
    default: return coolantPersistenceNanoseconds
    }
  }
}
