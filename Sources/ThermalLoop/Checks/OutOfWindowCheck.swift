import ApplicatorHAL

/// Out of window, and the arming of every treatment check: in a treatment
/// phase the checks arm at the first entry into the window (again after
/// each phase change); once armed, the controlled temperature outside the
/// window widened by the margin for the persistence trips.
///
/// Measurement: the controlled reading, °C, against the widened window's
/// edge it is beyond.
struct OutOfWindowCheck: SafetyComponent {
  /// How far outside the window the temperature may go once armed, °C.
  let marginCelsius: Double
  /// How long it may stay outside the widened window, ns.
  let persistenceNanoseconds: UInt64
  private var outside = ConditionTimer()

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    marginCelsius = configuration.outOfWindowMarginCelsius
    persistenceNanoseconds = configuration.outOfWindowPersistenceNanoseconds
  }

  @inline(__always)
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord? {
    if tick.phaseBegan { outside.clear() }
    return nil
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard let celsius = tick.controlCelsius else { return nil }
    guard tick.input.phaseKind == .treatment else {
      outside.clear()
      return nil
    }
    if !tick.isArmed && tick.window.contains(celsius) { tick.isArmed = true }
    guard tick.isArmed else { return nil }
    let band = tick.window.widened(by: marginCelsius)
    let now = tick.nowNanoseconds
    guard
      let since = outside.track(
        !band.contains(celsius), nowNanoseconds: now,
        persistenceNanoseconds: persistenceNanoseconds)
    else { return nil }
    let edge = celsius < band.lowCelsius ? band.lowCelsius : band.highCelsius
    return TripRecord(
      check: .outOfWindow, subject: .sensor(tick.controlIndex),
      measurement: .temperature(celsius: celsius, limitCelsius: edge),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) { outside.clear() }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .outOfWindow ? persistenceNanoseconds : nil
  }
}
