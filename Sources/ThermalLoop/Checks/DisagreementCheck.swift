import ApplicatorHAL

/// Sensor disagreement: the control sensor and a redundant sensor of the
/// same temperature differ by more than the limit for the persistence (both
/// plausible).
///
/// Measurement: the difference, °C, against the largest allowed.
struct DisagreementCheck: SafetyComponent {
  /// The largest difference, °C.
  let limitCelsius: Double
  /// How long it may last, ns.
  let persistenceNanoseconds: UInt64
  private var redundant: InlineArray<8, Bool>
  private let sensorCount: Int
  private var apart: InlineArray<8, ConditionTimer>

  /// Takes the thresholds of `configuration` for the sensors of `sensors`.
  init(_ configuration: SafetyConfiguration, sensors: InlineArray<8, SensorDescriptor>, count: Int)
  {
    limitCelsius = configuration.disagreementCelsius
    persistenceNanoseconds = configuration.disagreementPersistenceNanoseconds
    redundant = InlineArray(repeating: false)
    for index in 0..<count { redundant[index] = sensors[index].role == .redundant }
    sensorCount = count
    apart = InlineArray(repeating: ConditionTimer())
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    let controlIndex = tick.controlIndex
    guard controlIndex < sensorCount,
      let control = tick.snapshot.readings.span[controlIndex].sample?.celsius,
      tick.plausibleRange.contains(control)
    else { return nil }
    let now = tick.nowNanoseconds
    for index in 0..<sensorCount where redundant[index] {
      guard let other = tick.snapshot.readings.span[index].sample?.celsius,
        tick.plausibleRange.contains(other)
      else {
        apart[index].clear()
        continue
      }
      let difference = abs(control - other)
      if let since = apart[index].track(
        difference > limitCelsius, nowNanoseconds: now,
        persistenceNanoseconds: persistenceNanoseconds)
      {
        return TripRecord(
          check: .sensorDisagreement, subject: .sensorPair(controlIndex, index),
          measurement: .difference(celsius: difference, limitCelsius: limitCelsius),
          conditionSinceNanoseconds: since, detectedNanoseconds: now)
      }
    }
    return nil
  }

  mutating func isCausePresent(of trip: TripRecord, _ tick: inout SafetyTick) -> Bool? {
    guard trip.check == .sensorDisagreement else { return nil }
    guard case .sensorPair(let first, let second) = trip.subject else { return false }
    let count = tick.snapshot.count
    guard first >= 0 && first < count && second >= 0 && second < count,
      let a = tick.snapshot.readings.span[first].sample?.celsius,
      let b = tick.snapshot.readings.span[second].sample?.celsius
    else { return true }
    return abs(a - b) > limitCelsius
  }

  mutating func reset(nowNanoseconds: UInt64) {
    for index in 0..<maximumSensorCount { apart[index].clear() }
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .sensorDisagreement ? persistenceNanoseconds : nil
  }
}
