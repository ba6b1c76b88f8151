import ApplicatorHAL

/// Freeze detection (cryolipolysis): while armed in a treatment phase, a
/// rise of the set size within the window at unchanged or stronger cooling
/// (the command no higher than it was, with two hundredths of full scale
/// for the controller's own jitter) that leaves the control sensor above
/// its setpoint by half the rise, and that every plausible redundant sensor
/// follows by at least half the rise (their lag differs): a single drifting
/// or detached probe does not look like a freeze, and neither does the
/// approach to a higher setpoint. The window bounds the reaction.
///
/// Measurement: the control sensor's rise, °C within the window, against
/// the rise that counts.
struct FreezeCheck: SafetyComponent {
  /// Whether it runs.
  let isEnabled: Bool
  /// The rise that counts, °C.
  let riseCelsius: Double
  /// Within this window, ns.
  let windowNanoseconds: UInt64
  private var watched: InlineArray<8, Bool>
  private let sensorCount: Int
  private var history: InlineArray<8, SampleHistory>

  /// Takes the thresholds of `configuration` for the sensors of `sensors`.
  init(_ configuration: SafetyConfiguration, sensors: InlineArray<8, SensorDescriptor>, count: Int)
  {
    isEnabled = configuration.freezeDetection
    riseCelsius = configuration.freezeRiseCelsius
    windowNanoseconds = configuration.freezeWindowNanoseconds
    watched = InlineArray(repeating: false)
    for index in 0..<count { watched[index] = sensors[index].measuresControlledTemperature }
    sensorCount = count
    history = InlineArray(repeating: SampleHistory())
  }

  @inline(__always)
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord? {
    if tick.phaseBegan { clear() }
    return nil
  }

  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard tick.controlCelsius != nil, isEnabled, tick.isArmed, tick.input.phaseKind == .treatment
    else { return nil }
    return look(&tick)
  }

  @inline(__always)
  private mutating func look(_ tick: inout SafetyTick) -> TripRecord? {
    let now = tick.nowNanoseconds
    let command = tick.input.lastCommand
    let rise = riseCelsius
    var controlStart: (nanoseconds: UInt64, celsius: Double)? = nil
    var controlCelsius = Double.nan
    var redundantFollow = true
    for index in 0..<sensorCount where watched[index] {
      guard let celsius = tick.snapshot.readings.span[index].sample?.celsius,
        tick.plausibleRange.contains(celsius)
      else { continue }
      let needed = index == tick.controlIndex ? rise : rise / 2
      let start = history[index].riseStartInPlace(
        nowNanoseconds: now, windowNanoseconds: windowNanoseconds, celsius: celsius,
        command: command, rise: needed, slack: 0.02)
      history[index].add(
        nowNanoseconds: now, celsius: celsius, command: command,
        windowNanoseconds: windowNanoseconds)
      if index == tick.controlIndex {
        controlStart = start
        controlCelsius = celsius
      } else if start == nil {
        redundantFollow = false
      }
    }
    guard let start = controlStart, redundantFollow,
      controlCelsius >= tick.input.targetCelsius + rise / 2
    else { return nil }
    return TripRecord(
      check: .freezeDetected, subject: .sensor(tick.controlIndex),
      measurement: .rise(
        celsius: controlCelsius - start.celsius, limitCelsius: rise,
        spanSeconds: asSeconds(windowNanoseconds)),
      conditionSinceNanoseconds: start.nanoseconds, detectedNanoseconds: now)
  }

  private mutating func clear() {
    for index in 0..<maximumSensorCount { history[index].clear() }
  }

  mutating func reset(nowNanoseconds: UInt64) { clear() }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .freezeDetected ? windowNanoseconds : nil
  }
}
