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
  /// Stale data: no new sample for this long turns the output off, ns
  /// (or three of the sensor's own periods, if longer).
  public var staleHoldNanoseconds: UInt64 = 300_000_000
  /// Stale data: no new sample for this long trips, ns (never shorter than the hold).
  public var staleTripNanoseconds: UInt64 = 1_000_000_000
  /// Time cap as a multiple of the planned treatment time.
  public var timeCapFactor: Double = 1.1
  /// An explicit time cap, ns, replacing the factor when set.
  public var timeCapNanoseconds: UInt64? = nil
  /// How long an interlock may be open before the trip, ns.
  public var interlockPersistenceNanoseconds: UInt64

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
      interlockPersistenceNanoseconds = 2_000_000_000
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
      interlockPersistenceNanoseconds = 0
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

  /// Replaces the rule in a slot.
  public mutating func replaceLimitRule(at index: Int, with rule: LimitRule) {
    guard index >= 0 && index < limitRuleCount else { return }
    limitRules[index] = rule
  }

  /// The time cap in force for a planned treatment time, ns.
  public func timeCap(plannedNanoseconds: UInt64) -> UInt64 {
    timeCapNanoseconds ?? UInt64(Double(plannedNanoseconds) * timeCapFactor)
  }
}
