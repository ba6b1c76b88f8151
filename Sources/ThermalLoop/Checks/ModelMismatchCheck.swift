import ApplicatorHAL

/// Model mismatch: once armed in a treatment phase, the controlled
/// temperature must stay within the set distance of the model's prediction
/// from the applied commands (off without a prediction).
///
/// Measurement: the controlled reading, °C, against the prediction ± the
/// tolerance on the reading's side.
struct ModelMismatchCheck: SafetyComponent {
  /// The largest |measured − predicted|, °C.
  let limitCelsius: Double
  /// How long it may last, ns.
  let persistenceNanoseconds: UInt64
  private var apart = ConditionTimer()

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    limitCelsius = configuration.modelMismatchCelsius
    persistenceNanoseconds = configuration.modelMismatchPersistenceNanoseconds
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard let celsius = tick.controlCelsius else { return nil }
    guard let predicted = tick.input.modelPredictionCelsius,
      tick.isArmed && tick.input.phaseKind == .treatment
    else {
      apart.clear()
      return nil
    }
    let now = tick.nowNanoseconds
    guard
      let since = apart.track(
        !(abs(celsius - predicted) <= limitCelsius), nowNanoseconds: now,
        persistenceNanoseconds: persistenceNanoseconds)
    else { return nil }
    let edge = celsius < predicted ? predicted - limitCelsius : predicted + limitCelsius
    return TripRecord(
      check: .modelMismatch, subject: .sensor(tick.controlIndex),
      measurement: .temperature(celsius: celsius, limitCelsius: edge),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) { apart.clear() }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .modelMismatch ? persistenceNanoseconds : nil
  }
}
