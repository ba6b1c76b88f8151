import ApplicatorHAL

/// Stuck sensor: a control or redundant sensor whose new samples stay
/// within its resolution while the actuator works hard (|command| above
/// the set fraction), for the persistence or five of the sensor's own
/// periods, whichever is longer.
///
/// Measurement: the reading, °C, unchanged within the sensor's resolution
/// (the limit, °C) for the span, s.
struct StuckSensorCheck: SafetyComponent {
  /// How long a reading may stay within its resolution while the command is high, ns.
  let persistenceNanoseconds: UInt64
  /// The |command| above which the actuator counts as working hard.
  let commandFraction: Double
  private var periodNanoseconds: InlineArray<8, UInt64>
  private var resolutionCelsius: InlineArray<8, Double>
  private var watched: InlineArray<8, Bool>
  private let sensorCount: Int
  /// Since when the command has been high, ns (`ConditionTimer.never`: it is not).
  private var commandHighSince = ConditionTimer.never
  private var unchangedCelsius: InlineArray<8, Double>
  private var unchangedSince: InlineArray<8, UInt64>

  /// Takes the thresholds of `configuration` for the sensors of `sensors`.
  init(_ configuration: SafetyConfiguration, sensors: InlineArray<8, SensorDescriptor>, count: Int)
  {
    persistenceNanoseconds = configuration.stuckPersistenceNanoseconds
    commandFraction = configuration.stuckCommandFraction
    periodNanoseconds = InlineArray(repeating: 0)
    resolutionCelsius = InlineArray(repeating: 0.01)
    watched = InlineArray(repeating: false)
    for index in 0..<count {
      periodNanoseconds[index] = sensors[index].periodNanoseconds
      resolutionCelsius[index] = sensors[index].resolutionCelsius
      watched[index] = sensors[index].measuresControlledTemperature
    }
    sensorCount = count
    unchangedCelsius = InlineArray(repeating: .nan)
    unchangedSince = InlineArray(repeating: 0)
  }

  /// The persistence for slot `index`: the set one or five of its periods, ns.
  private mutating func persistence(_ index: Int) -> UInt64 {
    max(persistenceNanoseconds, saturatingProduct(5, periodNanoseconds[index]))
  }

  @inline(__always)
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord? {
    let now = tick.nowNanoseconds
    if tick.isFirst {
      for index in 0..<sensorCount { unchangedSince[index] = now }
    }
    if abs(tick.input.lastCommand) > commandFraction {
      if commandHighSince == ConditionTimer.never { commandHighSince = now }
    } else {
      commandHighSince = ConditionTimer.never
    }
    return nil
  }

  @inline(__always)
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord? {
    let now = tick.nowNanoseconds
    guard watched[index], let celsius = tick.sensorCelsius,
      tick.snapshot.readings.span[index].sample?.isNew == true
    else { return nil }
    let resolution = resolutionCelsius[index]
    if !(abs(celsius - unchangedCelsius[index]) <= resolution) {
      unchangedCelsius[index] = celsius
      unchangedSince[index] = now
      return nil
    }
    guard commandHighSince != ConditionTimer.never else { return nil }
    let since = max(unchangedSince[index], commandHighSince)
    guard now - min(since, now) >= persistence(index) else { return nil }
    return TripRecord(
      check: .stuckSensor, subject: .sensor(index),
      measurement: .unchanged(
        celsius: celsius, resolutionCelsius: resolution,
        spanSeconds: asSeconds(now - unchangedSince[index])),
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) {
    commandHighSince = ConditionTimer.never
    for index in 0..<maximumSensorCount {
      unchangedSince[index] = nowNanoseconds
      unchangedCelsius[index] = .nan
    }
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    guard trip.check == .stuckSensor else { return nil }
    let index = trip.sensorIndex
    return index >= 0 && index < sensorCount ? persistence(index) : persistenceNanoseconds
  }
}
