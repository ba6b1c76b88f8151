import ApplicatorHAL

/// A hard temperature limit on the sensors of one site (or all sensors).
public struct LimitRule: Sendable, Equatable {
  /// Which sensors it applies to; `nil` for every sensor.
  public var site: SensorSite?
  /// The threshold, °C.
  public var thresholdCelsius: Double
  /// `true` trips at or above the threshold, `false` at or below.
  public var tripsAbove: Bool
  /// How long the condition must hold, ns (0: at once).
  public var persistenceNanoseconds: UInt64
  /// Only in treatment phases, once the window has been entered.
  public var onlyWhenArmed: Bool

  /// Creates a rule.
  public init(
    site: SensorSite?, thresholdCelsius: Double, tripsAbove: Bool,
    persistenceNanoseconds: UInt64, onlyWhenArmed: Bool = false
  ) {
    self.site = site
    self.thresholdCelsius = thresholdCelsius
    self.tripsAbove = tripsAbove
    self.persistenceNanoseconds = persistenceNanoseconds
    self.onlyWhenArmed = onlyWhenArmed
  }

  /// The check a trip of this rule reports.
  public var check: SafetyCheck { tripsAbove ? .hardHigh : .hardLow }
}

/// The most hard-limit rules one configuration holds.
public let maximumLimitRules = 6

/// Every threshold and persistence of the supervisor, with the defaults of
/// `safety.md` per mode. Persistences are durations, so the checks behave
/// the same at 10 Hz and at 1 kHz.
public struct SafetyConfiguration: Sendable {
  /// The setpoint clamp, °C: the controller never works to a setpoint outside it.
  public var setpointClamp: TemperatureWindow
  /// The plausible range of any reading, °C.
  public var plausibleRange: TemperatureWindow
  /// How long a reading must be implausible to trip, ns.
  public var plausibilityPersistenceNanoseconds: UInt64 = 300_000_000
  /// Hard limits (up to ``maximumLimitRules``).
  public private(set) var limitRules: InlineArray<6, LimitRule>
  /// How many limit rules are in use.
  public private(set) var limitRuleCount: Int = 0
  /// How far outside the window the controlled temperature may go once armed, °C.
  public var outOfWindowMarginCelsius: Double = 1
  /// How long it may stay outside the widened window, ns.
  public var outOfWindowPersistenceNanoseconds: UInt64 = 20_000_000_000
  /// Must-progress: the fraction of the output limit at which the actuator counts as pushing hard.
  public var progressCommandFraction: Double = 0.8
  /// Must-progress: how far beyond the window edge the temperature must be for the check to arm, °C.
  public var progressDistanceCelsius: Double = 2
  /// Must-progress: the change required per period toward the target, °C.
  public var progressMinimumChangeCelsius: Double
  /// Must-progress: the period, ns.
  public var progressPeriodNanoseconds: UInt64 = 30_000_000_000
  /// Wrong direction: the slowest least-squares slope of the controlled
  /// temperature away from the target that counts, °C/s (while
  /// must-progress's arming holds, on the approach).
  public var wrongDirectionRateCelsiusPerSecond: Double = 0.1
  /// Wrong direction: how long the move away must last, ns (longer than
  /// the control probe's lag plus the plant's dead time).
  public var wrongDirectionPersistenceNanoseconds: UInt64 = 5_000_000_000
  /// Rate of change: the fastest rise of the controlled temperature, °C/s
  /// (least-squares slope over ``rateWindowNanoseconds``).
  public var rateRiseLimitCelsiusPerSecond: Double = 2
  /// Rate of change: the fastest fall, °C/s (infinity: not checked).
  public var rateFallLimitCelsiusPerSecond: Double = 2
  /// Rate of change: the window of the least-squares fit, ns (at least 1 s).
  public var rateWindowNanoseconds: UInt64 = 1_000_000_000
  /// Freeze detection: whether it runs (cryolipolysis).
  public var freezeDetection: Bool
  /// Freeze detection: the rise that counts, °C.
  public var freezeRiseCelsius: Double = 0.5
  /// Freeze detection: within this window, ns.
  public var freezeWindowNanoseconds: UInt64 = 10_000_000_000
  /// Sensor disagreement: the largest difference between the control sensor and a redundant one, °C.
  public var disagreementCelsius: Double = 1.5
  /// Sensor disagreement: how long it may last, ns.
  public var disagreementPersistenceNanoseconds: UInt64 = 1_000_000_000
  /// Stuck sensor: how long a reading may stay within its resolution while
  /// the command is high, ns (or five of the sensor's own periods, if longer).
  public var stuckPersistenceNanoseconds: UInt64 = 10_000_000_000
  /// Stuck sensor: the |command| above which the actuator counts as working hard.
  public var stuckCommandFraction: Double = 0.2
  /// Actuator read-back: the largest |measured − commanded|, as a fraction of full scale.
  public var readBackTolerance: Double = 0.2
  /// Actuator read-back: how long the mismatch may last, ns.
  public var readBackPersistenceNanoseconds: UInt64 = 500_000_000
  /// Dose cap: whether it runs (laser lipolysis).
  public var doseCapEnabled: Bool
  /// Dose cap: multiple of the planned dose.
  public var doseCapFactor: Double = 1.1
  /// Dose cap: the planned CEM43, minutes; `nil` for the dose of holding the
  /// window's upper edge for the planned treatment time.
  public var plannedDoseMinutes: Double? = nil
  /// Stale data: no new sample for this long turns the output off, ns
  /// (or three of the sensor's own periods, if longer).
  public var staleHoldNanoseconds: UInt64 = 300_000_000
  /// Stale data: no new sample for this long trips, ns (never shorter than the hold).
  public var staleTripNanoseconds: UInt64 = 1_000_000_000
  /// Time cap as a multiple of the planned treatment time.
  public var timeCapFactor: Double = 1.1
  /// An explicit time cap, ns, replacing the factor when set.
  public var timeCapNanoseconds: UInt64? = nil
  /// How long the contact (vacuum) interlock may be open before the trip, ns.
  public var contactPersistenceNanoseconds: UInt64
  /// How long the coolant-flow interlock may be open before the trip, ns.
  public var coolantPersistenceNanoseconds: UInt64
  /// Loop overrun watchdog: trips when more than this many overruns (wake-ups
  /// a whole period or more late) fall within ``overrunWindowNanoseconds``
  /// (at most `OverrunWatchdog.capacity - 1`).
  public var overrunLimit: Int = 5
  /// Loop overrun watchdog: the sliding window, ns.
  public var overrunWindowNanoseconds: UInt64 = 10_000_000_000
  /// Loop overrun watchdog: a single wake-up this late trips at once, ns
  /// (the output sat at its last command for that long, uncontrolled).
  public var overrunStallNanoseconds: UInt64 = 1_000_000_000
  /// Model mismatch: the largest |measured − predicted| of the controlled
  /// temperature once armed, °C (only with the model-based controller,
  /// which supplies the prediction; infinity: not checked).
  public var modelMismatchCelsius: Double
  /// Model mismatch: how long it may last, ns.
  public var modelMismatchPersistenceNanoseconds: UInt64 = 10_000_000_000

  /// The defaults of `safety.md` for a mode.
  public init(mode: TreatmentMode) {
    limitRules = InlineArray(
      repeating: LimitRule(
        site: nil, thresholdCelsius: 0, tripsAbove: true, persistenceNanoseconds: 0))
    plausibleRange = TemperatureWindow(lowCelsius: -40, highCelsius: 80)
    switch mode {
    case .cryolipolysis:
      setpointClamp = TemperatureWindow(lowCelsius: -15, highCelsius: 5)
      progressMinimumChangeCelsius = 1
      contactPersistenceNanoseconds = 2_000_000_000
      coolantPersistenceNanoseconds = 2_000_000_000
      freezeDetection = true
      doseCapEnabled = false
      modelMismatchCelsius = 2
      addLimitRule(
        LimitRule(
          site: .plate, thresholdCelsius: -16, tripsAbove: false,
          persistenceNanoseconds: 300_000_000))
      addLimitRule(
        LimitRule(
          site: .plate, thresholdCelsius: 15, tripsAbove: true, persistenceNanoseconds: 0,
          onlyWhenArmed: true))
      addLimitRule(
        LimitRule(
          site: .hotSide, thresholdCelsius: 60, tripsAbove: true,
          persistenceNanoseconds: 300_000_000))
    case .laserLipolysis:
      setpointClamp = TemperatureWindow(lowCelsius: 40, highCelsius: 47)
      progressMinimumChangeCelsius = 0.5
      contactPersistenceNanoseconds = 0
      coolantPersistenceNanoseconds = 0
      rateRiseLimitCelsiusPerSecond = 1.5
      rateFallLimitCelsiusPerSecond = .infinity
      freezeDetection = false
      doseCapEnabled = true
      modelMismatchCelsius = 1.5
      addLimitRule(
        LimitRule(
          site: .fat, thresholdCelsius: 5, tripsAbove: false, persistenceNanoseconds: 300_000_000))
      addLimitRule(
        LimitRule(
          site: .fat, thresholdCelsius: 48.5, tripsAbove: true,
          persistenceNanoseconds: 200_000_000))
      addLimitRule(
        LimitRule(site: nil, thresholdCelsius: 50, tripsAbove: true, persistenceNanoseconds: 0))
      addLimitRule(
        LimitRule(
          site: .skin, thresholdCelsius: 43, tripsAbove: true, persistenceNanoseconds: 200_000_000
        ))
    }
  }

  /// Adds a hard limit; returns `false` when the table is full.
  @discardableResult
  public mutating func addLimitRule(_ rule: LimitRule) -> Bool {
    guard limitRuleCount < maximumLimitRules else { return false }
    limitRules[limitRuleCount] = rule
    limitRuleCount += 1
    return true
  }

  /// Removes every hard limit (a profile that lists its own replaces the defaults).
  public mutating func removeAllLimitRules() { limitRuleCount = 0 }

  /// The dose cap in force, CEM43 minutes, for a plan's window and treatment time.
  public func doseCapMinutes(window: TemperatureWindow, plannedNanoseconds: UInt64) -> Double {
    let plan =
      plannedDoseMinutes
      ?? Dose.cem43Minutes(celsius: window.highCelsius, seconds: Double(plannedNanoseconds) * 1e-9)
    return plan * doseCapFactor
  }

  /// The time cap in force for a planned treatment time, ns.
  public func timeCap(plannedNanoseconds: UInt64) -> UInt64 {
    timeCapNanoseconds ?? UInt64(Double(plannedNanoseconds) * timeCapFactor)
  }
}
