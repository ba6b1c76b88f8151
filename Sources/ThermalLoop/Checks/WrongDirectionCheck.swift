import ApplicatorHAL

/// Wrong direction (an actuator wired or driven with the opposite sign):
/// while must-progress's arming holds (the actuator pushes at ≥ its command
/// fraction of the limit toward a target more than its distance beyond the
/// window's half-width), the least-squares slope of the controlled
/// temperature *away* from the target above the set rate for the set time
/// trips.
///
/// It arms only on the approach: never once the window has been entered in
/// the running treatment phase (a hold, where out-of-window watches), never
/// while the output is held off, and never in laser mode, toward a lower
/// target or a higher one: a laser only heats, so a fall while it works
/// hard is a probe coming loose or the plant's own dead time (about 14 s
/// at the fat probe), never the actuator's sign, and must-progress and the
/// hard limits cover a laser that does not heat. Every arming starts
/// afresh: the fit's samples and the timer restart, so a reversal of the
/// command (a setpoint step, a rewarm) gives the temperature the set time
/// to turn, which covers the control probe's lag and the TEC plate's dead
/// time. The fit spans ``fitWindowNanoseconds`` and yields its first slope
/// once its samples span nine tenths of it.
///
/// Measurement: the slope away from the target, °C/s over the fit window
/// (positive: away), against the set rate.
struct WrongDirectionCheck: SafetyComponent {
  /// The window of the least-squares fit, ns.
  static let fitWindowNanoseconds: UInt64 = 2_000_000_000
  /// The fraction of the output limit at which the actuator counts as pushing hard (must-progress's).
  let commandFraction: Double
  /// How far beyond the window edge the temperature must be for the check to arm, °C (must-progress's).
  let distanceCelsius: Double
  /// The slowest move away from the target that counts, °C/s.
  let rateCelsiusPerSecond: Double
  /// How long the move away must last, ns.
  let persistenceNanoseconds: UInt64
  /// The actuator only heats (laser): never armed.
  let heatsOnly: Bool
  private var history = SampleHistory()
  private var away = ConditionTimer()
  /// The direction toward the target while armed (+1 up, −1 down), 0 while disarmed.
  private var armedToward = 0.0

  /// Takes the thresholds of `configuration` for a treatment in `mode`.
  init(_ configuration: SafetyConfiguration, mode: TreatmentMode) {
    commandFraction = configuration.progressCommandFraction
    distanceCelsius = configuration.progressDistanceCelsius
    rateCelsiusPerSecond = configuration.wrongDirectionRateCelsiusPerSecond
    persistenceNanoseconds = configuration.wrongDirectionPersistenceNanoseconds
    heatsOnly = mode == .laserLipolysis
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard !heatsOnly else {
      disarm()
      return nil
    }
    // A tick without a plausible control reading (a failed fetch, a faulted
    // probe) neither arms nor disarms: a run of failed reads never restarts
    // the timer. Missing readings are stale-data's and plausibility's.
    guard let celsius = tick.controlCelsius else { return nil }
    let input = tick.input
    let toward: Double = input.targetCelsius > celsius ? 1 : -1
    let limit = toward > 0 ? input.outputLimits.high : input.outputLimits.low
    let pushing =
      toward * limit > 0 && toward * input.lastCommand >= commandFraction * toward * limit
    let far = abs(input.targetCelsius - celsius) > tick.window.halfWidthCelsius + distanceCelsius
    let holding = tick.isArmed && input.phaseKind == .treatment
    guard pushing && far && !holding && !tick.hold && !tick.phaseBegan else {
      disarm()
      return nil
    }
    if armedToward != toward {
      disarm()
      armedToward = toward
    }
    let now = tick.nowNanoseconds
    let window = Self.fitWindowNanoseconds
    history.add(
      nowNanoseconds: now, celsius: celsius, command: input.lastCommand, windowNanoseconds: window)
    guard let slope = history.slopeInPlace(nowNanoseconds: now, windowNanoseconds: window) else {
      return nil
    }
    let awaySlope = -toward * slope
    guard
      let since = away.track(
        awaySlope > rateCelsiusPerSecond, nowNanoseconds: now,
        persistenceNanoseconds: persistenceNanoseconds)
    else { return nil }
    return TripRecord(
      check: .wrongDirection, subject: .sensor(tick.controlIndex),
      measurement: .slope(
        celsiusPerSecond: awaySlope, limitCelsiusPerSecond: rateCelsiusPerSecond,
        spanSeconds: asSeconds(window)),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  /// Forgets the fit and the timer: the next arming starts afresh.
  @inline(__always)
  private mutating func disarm() {
    guard armedToward != 0 else { return }
    armedToward = 0
    history.clear()
    away.clear()
  }

  mutating func reset(nowNanoseconds: UInt64) {
    armedToward = 0
    history.clear()
    away.clear()
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .wrongDirection ? persistenceNanoseconds : nil
  }
}
