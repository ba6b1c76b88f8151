import ApplicatorHAL

/// Must progress (signed runaway): while the actuator pushes at ≥ the set
/// fraction of its limit toward a target more than the set distance beyond
/// the window's half-width, the controlled temperature must move toward it
/// by the set change per period. Works the same below 0 °C and in both
/// directions.
///
/// Measurement: the controlled reading, °C, against the temperature it had
/// to reach (the reference plus the change toward the target).
struct MustProgressCheck: SafetyComponent {
  /// The fraction of the output limit at which the actuator counts as pushing hard.
  let commandFraction: Double
  /// How far beyond the window edge the temperature must be for the check to arm, °C.
  let distanceCelsius: Double
  /// The change required per period toward the target, °C.
  let minimumChangeCelsius: Double
  /// The period, ns.
  let periodNanoseconds: UInt64
  private var since = ConditionTimer.never
  private var referenceCelsius = 0.0

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    commandFraction = configuration.progressCommandFraction
    distanceCelsius = configuration.progressDistanceCelsius
    minimumChangeCelsius = configuration.progressMinimumChangeCelsius
    periodNanoseconds = configuration.progressPeriodNanoseconds
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard let celsius = tick.controlCelsius else { return nil }
    let input = tick.input
    let now = input.nowNanoseconds
    let toward: Double = input.targetCelsius > celsius ? 1 : -1
    let limit = toward > 0 ? input.outputLimits.high : input.outputLimits.low
    let pushing =
      toward * limit > 0 && toward * input.lastCommand >= commandFraction * toward * limit
    let far = abs(input.targetCelsius - celsius) > tick.window.halfWidthCelsius + distanceCelsius
    guard pushing && far else {
      since = ConditionTimer.never
      return nil
    }
    if since == ConditionTimer.never
      || toward * (celsius - referenceCelsius) >= minimumChangeCelsius
    {
      since = now
      referenceCelsius = celsius
      return nil
    }
    guard now - min(since, now) >= periodNanoseconds else { return nil }
    return TripRecord(
      check: .mustProgress, subject: .sensor(tick.controlIndex),
      measurement: .temperature(
        celsius: celsius, limitCelsius: referenceCelsius + toward * minimumChangeCelsius),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) { since = ConditionTimer.never }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .mustProgress ? periodNanoseconds : nil
  }
}
