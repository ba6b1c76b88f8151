import ApplicatorHAL

/// Stale data: a sensor that delivers no new sample (a failed read counts
/// as none) holds the output off after the hold time and trips after the
/// trip time; both are at least three of the sensor's own periods.
///
/// Measurement: the time since the last new sample, s, against the trip time.
struct StaleDataCheck: SafetyComponent {
  /// No new sample for this long holds the output off, ns.
  let holdNanoseconds: UInt64
  /// No new sample for this long trips, ns (never shorter than the hold).
  let tripNanoseconds: UInt64
  /// Each slot's own conversion period, ns.
  private var periodNanoseconds: InlineArray<8, UInt64>
  private let sensorCount: Int
  /// When each slot last delivered a new sample, ns.
  private var lastNewSampleNanoseconds: InlineArray<8, UInt64>

  /// Takes the thresholds of `configuration` for the sensors of `sensors`.
  init(_ configuration: SafetyConfiguration, sensors: InlineArray<8, SensorDescriptor>, count: Int)
  {
    holdNanoseconds = configuration.staleHoldNanoseconds
    tripNanoseconds = configuration.staleTripNanoseconds
    periodNanoseconds = InlineArray(repeating: 0)
    for index in 0..<count { periodNanoseconds[index] = sensors[index].periodNanoseconds }
    sensorCount = count
    lastNewSampleNanoseconds = InlineArray(repeating: 0)
  }

  /// How long slot `index` may go without a new sample before the output is held off, ns.
  mutating func holdAfterNanoseconds(_ index: Int) -> UInt64 {
    max(holdNanoseconds, saturatingProduct(3, periodNanoseconds[index]))
  }

  @inline(__always)
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord? {
    if tick.isFirst {
      for index in 0..<sensorCount { lastNewSampleNanoseconds[index] = tick.nowNanoseconds }
    }
    return nil
  }

  @inline(__always)
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord? {
    let now = tick.nowNanoseconds
    if let sample = tick.snapshot.readings.span[index].sample, sample.isNew {
      lastNewSampleNanoseconds[index] = now
      return nil
    }
    let last = lastNewSampleNanoseconds[index]
    let age = now - min(last, now)
    let holdAfter = holdAfterNanoseconds(index)
    let tripAfter = max(tripNanoseconds, holdAfter)
    if age >= tripAfter {
      return TripRecord(
        check: .staleData, subject: .sensor(index),
        measurement: .seconds(.age, seconds: asSeconds(age), limitSeconds: asSeconds(tripAfter)),
        conditionSinceNanoseconds: last, detectedNanoseconds: now)
    }
    if age >= holdAfter { tick.hold = true }
    return nil
  }

  mutating func isCausePresent(of trip: TripRecord, _ tick: inout SafetyTick) -> Bool? {
    guard trip.check == .staleData else { return nil }
    guard case .sensor(let index) = trip.subject, index >= 0 && index < sensorCount else {
      return false
    }
    let now = tick.nowNanoseconds
    if let sample = tick.snapshot.readings.span[index].sample, sample.isNew {
      lastNewSampleNanoseconds[index] = now
    }
    return now - min(lastNewSampleNanoseconds[index], now) >= holdAfterNanoseconds(index)
  }

  mutating func reset(nowNanoseconds: UInt64) {
    for index in 0..<maximumSensorCount { lastNewSampleNanoseconds[index] = nowNanoseconds }
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    guard trip.check == .staleData else { return nil }
    let index = trip.sensorIndex
    let own = index >= 0 && index < sensorCount ? holdAfterNanoseconds(index) : 0
    return max(tripNanoseconds, own)
  }
}
