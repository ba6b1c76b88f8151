import ApplicatorHAL

/// How a simulated temperature probe behaves.
public struct SensorModel: Sendable, Equatable {
  /// Where the probe sits.
  public var location: ProbeLocation
  /// First-order lag of the probe, s (NTC probes: 0.2–2 s).
  public var lagSeconds: Double = 0.5
  /// RMS of the white noise added to each conversion, °C.
  public var noiseRmsCelsius: Double = 0.02
  /// Quantisation step of the converter, °C (0 for none).
  public var resolutionCelsius: Double = 0.01
  /// Time between conversions, ns; reads between two conversions repeat the
  /// last sample with `isNew == false`.
  public var periodNanoseconds: UInt64 = 100_000_000
  /// What an open circuit reads, °C.
  public var openReadsCelsius: Double = -60
  /// What a short circuit reads, °C.
  public var shortReadsCelsius: Double = 150

  /// Creates a probe model at a location with the default dynamics.
  public init(location: ProbeLocation) {
    self.location = location
  }
}

/// A simulated probe: lag, seeded noise, quantisation, its own conversion
/// period, and injected faults.
public struct SimulatedSensor: Sendable {
  /// The probe's model.
  public let model: SensorModel
  private var lagged: Double
  private var lastSample: TemperatureSample
  private var nextConversionNanoseconds: UInt64 = 0
  private var lastUpdateNanoseconds: UInt64 = 0
  private var fault: SensorFaultKind? = nil
  private var faultValue: Double? = nil
  private var faultStartNanoseconds: UInt64 = 0
  private var faultBaseCelsius: Double = 0
  /// The lag filter's step `1 − exp(−dt/lag)` for the last (dt, lag): the
  /// loop's step is almost always the same, so the exponential is computed
  /// only when the step or the lag changes (the result is the same bits).
  private var lagStepNanoseconds: UInt64 = 0
  private var lagStepLagSeconds: Double = .nan
  private var lagStepFraction: Double = 0

  /// Creates a probe whose lag state starts at the true temperature.
  public init(model: SensorModel, initialCelsius: Double) {
    self.model = model
    lagged = initialCelsius
    lastSample = TemperatureSample(celsius: initialCelsius, timestampNanoseconds: 0, isNew: false)
  }

  /// The active fault, if any.
  public var activeFault: SensorFaultKind? { fault }

  /// Injects a fault from now on.
  public mutating func inject(_ kind: SensorFaultKind, value: Double?, nowNanoseconds: UInt64) {
    fault = kind
    faultValue = value
    faultStartNanoseconds = nowNanoseconds
    faultBaseCelsius = lastSample.celsius
  }

  /// Ends the active fault: the probe reads the truth again from its next conversion.
  public mutating func clearFault() {
    fault = nil
    faultValue = nil
  }

  /// Advances the probe's lag to `nowNanoseconds` with the true temperature,
  /// converting if a conversion is due.
  ///
  /// - Parameter ambientCelsius: where a detached probe drifts to.
  public mutating func update(
    trueCelsius: Double, ambientCelsius: Double, nowNanoseconds: UInt64,
    random: inout SeededRandom
  ) {
    let elapsed = nowNanoseconds &- lastUpdateNanoseconds
    let dt = Double(elapsed) * 1e-9
    lastUpdateNanoseconds = nowNanoseconds
    var target = trueCelsius
    var lag = model.lagSeconds
    if fault == .detached {
      target = ambientCelsius
      lag = faultValue ?? 20
    }
    if lag > 0 {
      if elapsed != lagStepNanoseconds || lag != lagStepLagSeconds {
        lagStepNanoseconds = elapsed
        lagStepLagSeconds = lag
        lagStepFraction = 1 - Elementary.exp(-dt / lag)
      }
      lagged += (target - lagged) * lagStepFraction
    } else {
      lagged = target
    }
    guard nowNanoseconds >= nextConversionNanoseconds else {
      lastSample.isNew = false
      return
    }
    nextConversionNanoseconds = nowNanoseconds + max(model.periodNanoseconds, 1)
    var value = lagged + model.noiseRmsCelsius * random.nextGaussian()
    if model.resolutionCelsius > 0 {
      value =
        Elementary.roundedToNearest(value / model.resolutionCelsius) * model.resolutionCelsius
    }
    switch fault {
    case .open: value = model.openReadsCelsius
    case .short: value = model.shortReadsCelsius
    case .stuck: value = faultValue ?? faultBaseCelsius
    case .drift:
      value += (faultValue ?? 0.1) * Double(nowNanoseconds &- faultStartNanoseconds) * 1e-9
    case .spikes:
      if random.nextUnit() < 0.2 {
        let size = faultValue ?? 5
        value += random.nextUnit() < 0.5 ? -size : size
      }
    case .stale:
      lastSample.isNew = false
      return
    case .dropout, .detached, nil: break
    }
    lastSample = TemperatureSample(
      celsius: value, timestampNanoseconds: nowNanoseconds, isNew: true)
  }
}

extension SimulatedSensor: TemperatureSensor {
  /// Returns the latest conversion, or times out under a dropout fault.
  public mutating func read(nowNanoseconds: UInt64) throws(FaultKind) -> TemperatureSample {
    if fault == .dropout { throw .timedOut }
    return lastSample
  }
}
