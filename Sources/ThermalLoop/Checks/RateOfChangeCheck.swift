import ApplicatorHAL

/// Rate of change of the controlled temperature (control and redundant
/// sensors): the least-squares slope over the fit window, never raw
/// differences (at 10 Hz, 0.05 °C of noise gives raw slopes of
/// σ ≈ 0.7 °C/s; an 11-sample fit over 1 s cuts that about fifteenfold).
/// The first slope comes once the kept samples span nine tenths of the
/// window (a sample is kept every twelfth of it). No persistence: the fit
/// is the filter.
///
/// Measurement: the slope, °C/s over the window, against the rise limit or
/// the fall limit (negative).
struct RateOfChangeCheck: SafetyComponent {
  /// The fastest rise, °C/s.
  let riseLimitCelsiusPerSecond: Double
  /// The fastest fall, °C/s (infinity: not checked).
  let fallLimitCelsiusPerSecond: Double
  /// The window of the fit, ns (at least 1 s).
  let windowNanoseconds: UInt64
  /// Which slots measure the controlled temperature.
  private var watched: InlineArray<8, Bool>
  private var history: InlineArray<8, SampleHistory>

  /// Takes the thresholds of `configuration` for the sensors of `sensors`.
  init(_ configuration: SafetyConfiguration, sensors: InlineArray<8, SensorDescriptor>, count: Int)
  {
    riseLimitCelsiusPerSecond = configuration.rateRiseLimitCelsiusPerSecond
    fallLimitCelsiusPerSecond = configuration.rateFallLimitCelsiusPerSecond
    windowNanoseconds = max(configuration.rateWindowNanoseconds, 1_000_000_000)
    watched = InlineArray(repeating: false)
    for index in 0..<count { watched[index] = sensors[index].measuresControlledTemperature }
    history = InlineArray(repeating: SampleHistory())
  }

  @inline(__always)
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord? {
    guard watched[index], let celsius = tick.sensorCelsius
    else { return nil }
    let now = tick.nowNanoseconds
    history[index].add(
      nowNanoseconds: now, celsius: celsius, command: tick.input.lastCommand,
      windowNanoseconds: windowNanoseconds)
    // The in-place read: a non-mutating call on an `InlineArray` element
    // copies it on this toolchain (see `SampleHistory`).
    guard
      let slope = history[index].slopeInPlace(
        nowNanoseconds: now, windowNanoseconds: windowNanoseconds)
    else { return nil }
    let rise = riseLimitCelsiusPerSecond
    let fall = fallLimitCelsiusPerSecond
    guard slope > rise || -slope > fall else { return nil }
    return TripRecord(
      check: .rateOfChange, subject: .sensor(index),
      measurement: .slope(
        celsiusPerSecond: slope, limitCelsiusPerSecond: slope > 0 ? rise : -fall,
        spanSeconds: asSeconds(windowNanoseconds)),
      conditionSinceNanoseconds: now, detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) {
    for index in 0..<maximumSensorCount { history[index].clear() }
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .rateOfChange ? 0 : nil
  }
}
