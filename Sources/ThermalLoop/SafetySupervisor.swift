import ApplicatorHAL

/// What the supervisor is told about the loop each tick, besides the readings.
public struct SupervisorInput: Sendable {
  /// The loop clock, ns.
  public var nowNanoseconds: UInt64
  /// The running phase's slot.
  public var phaseIndex: Int
  /// The running phase's kind.
  public var phaseKind: PhaseKind
  /// The running phase's setpoint (after the clamp), °C.
  public var targetCelsius: Double
  /// The command written in the previous tick.
  public var lastCommand: Double
  /// The controller's output limits.
  public var outputLimits: OutputLimits
  /// Time spent in treatment phases so far, ns.
  public var treatmentElapsedNanoseconds: UInt64
  /// Whether every interlock is made.
  public var interlocksMade: Bool

  /// Creates an input.
  public init(
    nowNanoseconds: UInt64, phaseIndex: Int, phaseKind: PhaseKind, targetCelsius: Double,
    lastCommand: Double, outputLimits: OutputLimits, treatmentElapsedNanoseconds: UInt64,
    interlocksMade: Bool
  ) {
    self.nowNanoseconds = nowNanoseconds
    self.phaseIndex = phaseIndex
    self.phaseKind = phaseKind
    self.targetCelsius = targetCelsius
    self.lastCommand = lastCommand
    self.outputLimits = outputLimits
    self.treatmentElapsedNanoseconds = treatmentElapsedNanoseconds
    self.interlocksMade = interlocksMade
  }
}

/// The supervisor's decision for one tick.
public enum SafetyVerdict: Sendable, Equatable {
  /// The controller's command may go out (after the supervisor's clamp).
  case run
  /// Output off this tick, not latched (a sensor is briefly without fresh data).
  case holdOff
  /// Latched trip: the safe state, until an explicit reset.
  case tripped(TripRecord)
}

/// The safety supervisor: runs every tick, independently of the controller,
/// and owns the last word on what reaches the actuator.
///
/// It checks every reading (plausibility, hard limits, staleness), the
/// controlled temperature against the window once armed, signed
/// must-progress toward a far target, the treatment time cap and the
/// interlocks. A trip latches and is cleared only by ``reset(nowNanoseconds:)``
/// once its cause is gone; hard limits and the time cap need a new treatment.
/// Fixed-size state: a tick allocates nothing.
public struct SafetySupervisor: Sendable {
  /// The thresholds in force.
  public let configuration: SafetyConfiguration
  /// The mode protected.
  public let mode: TreatmentMode
  private let window: TemperatureWindow
  private let plannedTreatmentNanoseconds: UInt64
  private var sensors: InlineArray<8, SensorDescriptor>
  private let sensorCount: Int
  private let controlIndex: Int
  /// The latched trip, if any.
  public private(set) var trip: TripRecord? = nil
  private var implausibleSince: InlineArray<8, UInt64>
  private var limitSince: InlineArray<48, UInt64>
  private var lastNewSample: InlineArray<8, UInt64>
  private var started = false
  /// Whether the window checks are armed (the window was entered in this phase).
  public private(set) var isArmed = false
  private var armedPhase = -1
  private var outOfWindowSince = UInt64.max
  private var progressSince = UInt64.max
  private var progressReference = 0.0
  private var interlockSince = UInt64.max
  /// Whether the latched trip's cause was still present at the last look
  /// (stale data, an implausible reading, an open interlock); a reset is
  /// refused while it is.
  private var causePresent = false
  private static let never = UInt64.max

  /// Creates a supervisor for a plan's mode and window.
  ///
  /// - Parameters:
  ///   - sensors: one descriptor per sensor slot (at most ``maximumSensorCount``).
  ///   - controlIndex: the slot of the controlled sensor.
  public init(
    configuration: SafetyConfiguration, plan: TreatmentPlan, sensors list: [SensorDescriptor],
    controlIndex: Int
  ) {
    self.configuration = configuration
    mode = plan.mode
    window = plan.window
    plannedTreatmentNanoseconds = plan.plannedTreatmentNanoseconds
    sensors = InlineArray(
      repeating: SensorDescriptor(site: .plate, role: .monitor, periodNanoseconds: 0))
    sensorCount = min(list.count, maximumSensorCount)
    for index in 0..<sensorCount { sensors[index] = list[index] }
    self.controlIndex = controlIndex
    implausibleSince = InlineArray(repeating: SafetySupervisor.never)
    limitSince = InlineArray(repeating: SafetySupervisor.never)
    lastNewSample = InlineArray(repeating: 0)
  }

  /// The time cap in force, ns.
  public var timeCapNanoseconds: UInt64 {
    configuration.timeCap(plannedNanoseconds: plannedTreatmentNanoseconds)
  }

  /// Clamps a phase setpoint into the mode's setpoint clamp.
  public func clampSetpoint(_ celsius: Double) -> Double {
    let clamp = configuration.setpointClamp
    return min(max(celsius, clamp.lowCelsius), clamp.highCelsius)
  }

  /// Checks one tick's readings and decides.
  public mutating func evaluate(_ snapshot: SensorSnapshot, _ input: SupervisorInput)
    -> SafetyVerdict
  {
    let now = input.nowNanoseconds
    if !started {
      started = true
      for index in 0..<sensorCount { lastNewSample[index] = now }
    }
    if let trip {
      causePresent = isCausePresent(trip, snapshot, input)
      return .tripped(trip)
    }
    if input.phaseIndex != armedPhase {
      armedPhase = input.phaseIndex
      isArmed = false
      outOfWindowSince = SafetySupervisor.never
    }
    var hold = false
    var controlCelsius: Double? = nil
    for index in 0..<sensorCount {
      let reading = snapshot.readings[index]
      if let found = checkFreshness(index, reading, now, hold: &hold) { return latch(found) }
      guard let sample = reading.sample else { continue }
      let celsius = sample.celsius
      let plausible = configuration.plausibleRange.contains(celsius)
      if let found = persist(
        &implausibleSince[index], !plausible, now, configuration.plausibilityPersistenceNanoseconds,
        .sensorPlausibility, index, celsius,
        celsius < configuration.plausibleRange.lowCelsius
          ? configuration.plausibleRange.lowCelsius : configuration.plausibleRange.highCelsius)
      {
        return latch(found)
      }
      guard plausible else { continue }
      if index == controlIndex { controlCelsius = celsius }
      if let found = checkLimits(index, celsius, now, input) { return latch(found) }
    }
    if let celsius = controlCelsius {
      if let found = checkWindow(celsius, input) { return latch(found) }
      if let found = checkProgress(celsius, input) { return latch(found) }
    }
    let cap = timeCapNanoseconds
    if input.treatmentElapsedNanoseconds > cap {
      let record = TripRecord(
        check: .timeCap, sensorIndex: -1,
        reading: Double(input.treatmentElapsedNanoseconds) / 60e9, limit: Double(cap) / 60e9,
        conditionSinceNanoseconds: now - (input.treatmentElapsedNanoseconds - cap),
        detectedNanoseconds: now)
      return latch(record)
    }
    if let found = persist(
      &interlockSince, !input.interlocksMade, now, configuration.interlockPersistenceNanoseconds,
      .interlock, -1, .nan, .nan)
    {
      return latch(found)
    }
    return hold ? .holdOff : .run
  }

  /// Latches a trip raised outside the checks (a power stage that refused a write).
  public mutating func tripNow(_ check: SafetyCheck, nowNanoseconds: UInt64) -> TripRecord {
    if let trip { return trip }
    let record = TripRecord(
      check: check, sensorIndex: -1, reading: .nan, limit: .nan,
      conditionSinceNanoseconds: nowNanoseconds, detectedNanoseconds: nowNanoseconds)
    trip = record
    causePresent = false
    return record
  }

  /// Records when the safe state reached the power stage.
  public mutating func noteSafeState(atNanoseconds nanoseconds: UInt64) {
    trip?.safeStateNanoseconds = nanoseconds
  }

  /// Clears a latched trip, if its class allows a reset and its cause is
  /// gone as of the last ``evaluate(_:_:)`` (a sensor that delivers fresh,
  /// plausible samples again; an interlock made again). Every persistence
  /// timer starts again, so a cause that returns trips again after its
  /// persistence. Returns whether the latch was cleared.
  public mutating func reset(nowNanoseconds: UInt64) -> Bool {
    guard let trip else { return true }
    guard !trip.check.needsNewTreatment, !causePresent else { return false }
    self.trip = nil
    causePresent = false
    for index in 0..<maximumSensorCount {
      implausibleSince[index] = SafetySupervisor.never
      lastNewSample[index] = nowNanoseconds
    }
    for index in 0..<48 { limitSince[index] = SafetySupervisor.never }
    outOfWindowSince = SafetySupervisor.never
    progressSince = SafetySupervisor.never
    interlockSince = SafetySupervisor.never
    isArmed = false
    return true
  }

  private mutating func latch(_ record: TripRecord) -> SafetyVerdict {
    trip = record
    // The checks whose cause can be watched start with it present.
    causePresent =
      record.check == .staleData || record.check == .sensorPlausibility
      || record.check == .interlock
    return .tripped(record)
  }

  /// While latched: is the trip's cause still there in this tick's readings?
  private mutating func isCausePresent(
    _ trip: TripRecord, _ snapshot: SensorSnapshot, _ input: SupervisorInput
  ) -> Bool {
    let index = trip.sensorIndex
    switch trip.check {
    case .staleData:
      guard index >= 0 && index < sensorCount else { return false }
      let now = input.nowNanoseconds
      if let sample = snapshot.readings[index].sample, sample.isNew { lastNewSample[index] = now }
      return now - min(lastNewSample[index], now) >= staleHoldNanoseconds(index)
    case .sensorPlausibility:
      guard index >= 0 && index < sensorCount,
        let sample = snapshot.readings[index].sample
      else { return true }
      return !configuration.plausibleRange.contains(sample.celsius)
    case .interlock:
      return !input.interlocksMade
    default:
      return false
    }
  }

  /// How long a sensor may go without a new sample before the output is held off, ns.
  private func staleHoldNanoseconds(_ index: Int) -> UInt64 {
    max(configuration.staleHoldNanoseconds, 3 * sensors[index].periodNanoseconds)
  }

  /// Tracks `since` for a condition; returns a trip once it has held for `persistence`.
  private func persist(
    _ since: inout UInt64, _ condition: Bool, _ now: UInt64, _ persistence: UInt64,
    _ check: SafetyCheck, _ index: Int, _ reading: Double, _ limit: Double
  ) -> TripRecord? {
    guard condition else {
      since = SafetySupervisor.never
      return nil
    }
    if since == SafetySupervisor.never { since = now }
    guard now - since >= persistence else { return nil }
    return TripRecord(
      check: check, sensorIndex: index, reading: reading, limit: limit,
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  private mutating func checkFreshness(
    _ index: Int, _ reading: SensorReading, _ now: UInt64, hold: inout Bool
  ) -> TripRecord? {
    if let sample = reading.sample, sample.isNew {
      lastNewSample[index] = now
      return nil
    }
    let age = now - min(lastNewSample[index], now)
    let holdAfter = staleHoldNanoseconds(index)
    let tripAfter = max(configuration.staleTripNanoseconds, holdAfter)
    if age >= tripAfter {
      let record = TripRecord(
        check: .staleData, sensorIndex: index, reading: Double(age) * 1e-9,
        limit: Double(tripAfter) * 1e-9,
        conditionSinceNanoseconds: lastNewSample[index] + tripAfter, detectedNanoseconds: now)
      return record
    }
    if age >= holdAfter { hold = true }
    return nil
  }

  private mutating func checkLimits(
    _ index: Int, _ celsius: Double, _ now: UInt64, _ input: SupervisorInput
  ) -> TripRecord? {
    let site = sensors[index].site
    for ruleIndex in 0..<configuration.limitRuleCount {
      let rule = configuration.limitRules[ruleIndex]
      let slot = ruleIndex * maximumSensorCount + index
      let applies =
        (rule.site == nil || rule.site == site)
        && (!rule.onlyWhenArmed || (isArmed && input.phaseKind == .treatment))
      let crossed =
        rule.tripsAbove ? celsius >= rule.thresholdCelsius : celsius <= rule.thresholdCelsius
      if let found = persist(
        &limitSince[slot], applies && crossed, now, rule.persistenceNanoseconds, rule.check, index,
        celsius, rule.thresholdCelsius)
      {
        return found
      }
    }
    return nil
  }

  private mutating func checkWindow(_ celsius: Double, _ input: SupervisorInput) -> TripRecord? {
    guard input.phaseKind == .treatment else {
      outOfWindowSince = SafetySupervisor.never
      return nil
    }
    if !isArmed && window.contains(celsius) { isArmed = true }
    guard isArmed else { return nil }
    let band = window.widened(by: configuration.outOfWindowMarginCelsius)
    let outside = !band.contains(celsius)
    return persist(
      &outOfWindowSince, outside, input.nowNanoseconds,
      configuration.outOfWindowPersistenceNanoseconds, .outOfWindow, controlIndex, celsius,
      celsius < band.lowCelsius ? band.lowCelsius : band.highCelsius)
  }

  /// Signed runaway: while the actuator pushes at ≥ the set fraction of its
  /// limit toward a target more than the set distance beyond the window
  /// edge, the temperature must move toward it by the set change per period.
  /// Works the same below 0 °C and in both directions.
  private mutating func checkProgress(_ celsius: Double, _ input: SupervisorInput) -> TripRecord? {
    let now = input.nowNanoseconds
    let toward: Double = input.targetCelsius > celsius ? 1 : -1
    let limit = toward > 0 ? input.outputLimits.high : input.outputLimits.low
    let pushing =
      toward * limit > 0
      && toward * input.lastCommand >= configuration.progressCommandFraction * toward * limit
    let far =
      abs(input.targetCelsius - celsius) > window.halfWidthCelsius
      + configuration.progressDistanceCelsius
    guard pushing && far else {
      progressSince = SafetySupervisor.never
      return nil
    }
    if progressSince == SafetySupervisor.never
      || toward * (celsius - progressReference) >= configuration.progressMinimumChangeCelsius
    {
      progressSince = now
      progressReference = celsius
      return nil
    }
    guard now - progressSince >= configuration.progressPeriodNanoseconds else { return nil }
    return TripRecord(
      check: .mustProgress, sensorIndex: controlIndex, reading: celsius,
      limit: progressReference + toward * configuration.progressMinimumChangeCelsius,
      conditionSinceNanoseconds: progressSince + configuration.progressPeriodNanoseconds,
      detectedNanoseconds: now)
  }
}
