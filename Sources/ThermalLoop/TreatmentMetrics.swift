import ApplicatorHAL

/// How well one phase held its window, computed the standard way.
public struct PhaseMetrics: Sendable, Equatable {
  /// When the phase started, ns since the run start.
  public var startNanoseconds: UInt64 = 0
  /// How long the phase has run, ns.
  public var elapsedNanoseconds: UInt64 = 0
  /// When the controlled temperature first entered the window, ns since the run start.
  public var firstEntryNanoseconds: UInt64? = nil
  /// Time in the window counted after the first entry, ns.
  public var inWindowNanoseconds: UInt64 = 0
  /// Time after the first entry, ns.
  public var afterEntryNanoseconds: UInt64 = 0
  /// The last entry into the window, ns since the run start (settling).
  public var lastEntryNanoseconds: UInt64? = nil
  /// Whether the temperature is in the window at the last sample.
  public var inWindowNow = false
  /// The furthest excursion beyond the window on the far side of the approach, after the first entry, °C.
  public var overshootCelsius = 0.0
  /// Integral of |setpoint − temperature| over the phase, °C·s.
  public var integratedAbsoluteErrorCelsiusSeconds = 0.0
  private var approachedFromAbove = false

  /// The fraction of the time after first entry spent in the window, 0 … 1 (`nil` before entry).
  public var timeInWindowFraction: Double? {
    guard firstEntryNanoseconds != nil, afterEntryNanoseconds > 0 else { return nil }
    return Double(inWindowNanoseconds) / Double(afterEntryNanoseconds)
  }

  /// The settling time from the phase start, ns: the last entry into the
  /// window after which it stayed in for the rest of the phase; `nil` if it
  /// ends outside.
  public var settlingNanoseconds: UInt64? {
    guard inWindowNow, let last = lastEntryNanoseconds else { return nil }
    return last - startNanoseconds
  }

  mutating func record(
    celsius: Double, setpoint: Double, window: TemperatureWindow, now: UInt64,
    dt: UInt64, previousCelsius: Double?
  ) {
    elapsedNanoseconds = now - startNanoseconds
    // Sample-and-hold, like the window times: the previous reading held over dt.
    if let previous = previousCelsius {
      integratedAbsoluteErrorCelsiusSeconds += abs(setpoint - previous) * Double(dt) * 1e-9
    }
    let inside = window.contains(celsius)
    if inside && !inWindowNow { lastEntryNanoseconds = now }
    if firstEntryNanoseconds != nil {
      afterEntryNanoseconds += dt
      if inWindowNow { inWindowNanoseconds += dt }
      let beyond =
        approachedFromAbove ? window.lowCelsius - celsius : celsius - window.highCelsius
      overshootCelsius = max(overshootCelsius, beyond)
    } else if inside {
      firstEntryNanoseconds = now
      approachedFromAbove =
        (previousCelsius ?? celsius) > window.highCelsius
        || (previousCelsius == nil && setpoint < celsius)
    }
    inWindowNow = inside
  }
}

/// Metrics of a whole run: per phase, per sensor, and the dose.
///
/// Time is attributed sample-and-hold: the state seen at a tick counts for
/// the interval up to the next tick. The dose is not counted here: it is
/// the supervisor's ``DoseAccumulator`` (the one the dose cap trips on),
/// copied in every tick.
public struct TreatmentMetrics: Sendable {
  /// Per-phase figures.
  public private(set) var phases: InlineArray<8, PhaseMetrics>
  /// Lowest plausible reading per sensor, °C (+infinity when none).
  public private(set) var minimumCelsius: InlineArray<8, Double>
  /// Highest plausible reading per sensor, °C (−infinity when none).
  public private(set) var maximumCelsius: InlineArray<8, Double>
  /// CEM43 at the dose sensor, minutes (laser): the supervisor's accumulator as of the last tick.
  public private(set) var cem43Minutes = 0.0
  /// Minutes at or below +10 °C at the dose sensor (cryo): the supervisor's
  /// accumulator as of the last tick.
  public private(set) var minutesAtOrBelowLipidThreshold = 0.0
  /// The sensor slot the dose is computed at, or −1.
  public let doseSensorIndex: Int
  private var lastControl: Double? = nil
  private var lastNanoseconds: UInt64? = nil
  private var lastPhase = -1

  /// Creates empty metrics.
  public init(doseSensorIndex: Int) {
    self.doseSensorIndex = doseSensorIndex
    phases = InlineArray(repeating: PhaseMetrics())
    minimumCelsius = InlineArray(repeating: .infinity)
    maximumCelsius = InlineArray(repeating: -.infinity)
  }

  /// Folds in one tick.
  ///
  /// - Parameters:
  ///   - controlCelsius: the controlled reading if plausible, else `nil`.
  ///   - plausible: whether a reading is inside the plausible range.
  ///   - dose: the one dose accumulator, as of this tick.
  mutating func record(
    snapshot: SensorSnapshot, controlCelsius: Double?, phaseIndex: Int, phaseStart: UInt64,
    phaseKind: PhaseKind, setpoint: Double, window: TemperatureWindow,
    plausible: TemperatureWindow, dose: DoseAccumulator, now: UInt64
  ) {
    let dt = lastNanoseconds.map { now - $0 } ?? 0
    lastNanoseconds = now
    if phaseIndex != lastPhase {
      if lastPhase >= 0 {
        phases[lastPhase].elapsedNanoseconds = phaseStart - phases[lastPhase].startNanoseconds
      }
      lastPhase = phaseIndex
      phases[phaseIndex].startNanoseconds = phaseStart
      lastControl = nil
    }
    cem43Minutes = dose.cem43Minutes
    minutesAtOrBelowLipidThreshold = dose.minutesAtOrBelowLipidThreshold
    for index in 0..<snapshot.count {
      guard let celsius = snapshot.readings.span[index].sample?.celsius, plausible.contains(celsius)
      else { continue }
      minimumCelsius[index] = min(minimumCelsius[index], celsius)
      maximumCelsius[index] = max(maximumCelsius[index], celsius)
    }
    if phaseKind == .treatment, let celsius = controlCelsius {
      phases[phaseIndex].record(
        celsius: celsius, setpoint: setpoint, window: window, now: now, dt: dt,
        previousCelsius: lastControl)
      lastControl = celsius
    } else {
      phases[phaseIndex].elapsedNanoseconds = now - phaseStart
    }
  }
}
