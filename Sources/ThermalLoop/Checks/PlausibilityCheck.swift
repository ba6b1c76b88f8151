import ApplicatorHAL

/// Sensor plausibility: a reading outside the physically plausible range
/// (an open or shorted sensor) for the persistence trips.
///
/// Measurement: the reading, °C, against the range's edge it crossed.
struct PlausibilityCheck: SafetyComponent {
  /// The plausible range of any reading, °C.
  let range: TemperatureWindow
  /// How long a reading must be implausible to trip, ns.
  let persistenceNanoseconds: UInt64
  private var implausible: InlineArray<8, ConditionTimer>

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    range = configuration.plausibleRange
    persistenceNanoseconds = configuration.plausibilityPersistenceNanoseconds
    implausible = InlineArray(repeating: ConditionTimer())
  }

  @inline(__always)
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord? {
    guard let celsius = tick.snapshot.readings.span[index].sample?.celsius else { return nil }
    let now = tick.nowNanoseconds
    guard
      let since = implausible[index].track(
        !range.contains(celsius), nowNanoseconds: now,
        persistenceNanoseconds: persistenceNanoseconds)
    else { return nil }
    let edge = celsius < range.lowCelsius ? range.lowCelsius : range.highCelsius
    return TripRecord(
      check: .sensorPlausibility, subject: .sensor(index),
      measurement: .temperature(celsius: celsius, limitCelsius: edge),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func isCausePresent(of trip: TripRecord, _ tick: inout SafetyTick) -> Bool? {
    guard trip.check == .sensorPlausibility else { return nil }
    guard case .sensor(let index) = trip.subject else { return false }
    guard index >= 0 && index < tick.sensorCount,
      let sample = tick.snapshot.readings.span[index].sample
    else { return true }
    return !range.contains(sample.celsius)
  }

  mutating func reset(nowNanoseconds: UInt64) {
    for index in 0..<maximumSensorCount { implausible[index].clear() }
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .sensorPlausibility ? persistenceNanoseconds : nil
  }
}
