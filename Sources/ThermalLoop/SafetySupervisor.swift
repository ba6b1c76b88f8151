import ApplicatorHAL

/// The safety supervisor: runs every tick, independently of the controller,
/// and owns the last word on what reaches the actuator.
///
/// Every tick it checks each sensor (freshness, plausibility, hard limits,
/// rate of change, stuck), redundant pairs (disagreement), the controlled
/// temperature (window once armed, signed must-progress, freeze), the
/// power stage's read-back, the interlocks, the time cap and the dose cap
/// (see `docs/safety.md`). A trip latches and is cleared only by
/// ``reset(nowNanoseconds:)`` once its cause is gone; hard limits, the caps
/// and a freeze need a new treatment. Every persistence is a duration, so
/// the checks behave the same at any loop rate. Fixed-size state: a tick
/// allocates nothing.
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
  private let doseIndex: Int
  /// The latched trip, if any.
  public private(set) var trip: TripRecord? = nil
  /// Whether the latched trip's cause was still present at the last look
  /// (stale data, an implausible reading, an open interlock, disagreeing
  /// sensors); a reset is refused while it is.
  private var causePresent = false
  private var implausibleSince: InlineArray<8, UInt64>
  private var limitSince: InlineArray<48, UInt64>
  private var lastNewSample: InlineArray<8, UInt64>
  private var rateHistory: InlineArray<8, SampleHistory>
  private var freezeHistory: InlineArray<8, SampleHistory>
  private var disagreementSince: InlineArray<8, UInt64>
  private var unchangedCelsius: InlineArray<8, Double>
  private var unchangedSince: InlineArray<8, UInt64>
  private var commandHighSince = SafetySupervisor.never
  private var readBackSince = SafetySupervisor.never
  private var contactSince = SafetySupervisor.never
  private var coolantSince = SafetySupervisor.never
  private var mismatchSince = SafetySupervisor.never
  private var started = false
  /// Whether the window checks are armed (the window was entered in this phase).
  public private(set) var isArmed = false
  private var armedPhase = -1
  private var outOfWindowSince = SafetySupervisor.never
  private var progressSince = SafetySupervisor.never
  private var progressReference = 0.0
  /// CEM43 at the dose sensor as the supervisor counts it, minutes.
  public private(set) var cem43Minutes = 0.0
  private var doseCelsius: Double? = nil
  private var doseNanoseconds: UInt64 = 0
  private var doseRates = DoseRateMemo()
  private static let never = UInt64.max
  private var overruns: OverrunWatchdog
  private var overrunNoted = false
  private var worstStallNanoseconds: UInt64 = 0

  /// Creates a supervisor for a plan's mode and window.
  ///
  /// - Parameters:
  ///   - sensors: one descriptor per sensor slot (at most ``maximumSensorCount``).
  ///   - controlIndex: the slot of the controlled sensor.
  ///   - doseIndex: the slot the dose cap is counted at (−1: none).
  public init(
    configuration: SafetyConfiguration, plan: TreatmentPlan, sensors list: [SensorDescriptor],
    controlIndex: Int, doseIndex: Int = -1
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
    self.doseIndex = doseIndex < sensorCount ? doseIndex : -1
    implausibleSince = InlineArray(repeating: SafetySupervisor.never)
    limitSince = InlineArray(repeating: SafetySupervisor.never)
    lastNewSample = InlineArray(repeating: 0)
    rateHistory = InlineArray(repeating: SampleHistory())
    freezeHistory = InlineArray(repeating: SampleHistory())
    disagreementSince = InlineArray(repeating: SafetySupervisor.never)
    unchangedCelsius = InlineArray(repeating: .nan)
    unchangedSince = InlineArray(repeating: 0)
    overruns = OverrunWatchdog(
      limit: configuration.overrunLimit, windowNanoseconds: configuration.overrunWindowNanoseconds)
  }

  /// Notes that the loop woke a whole period or more late at
  /// `nowNanoseconds`; the next ``evaluate(_:_:)`` (the same tick) trips if
  /// that makes too many within the window.
  ///
  /// - Parameter latenessNanoseconds: how late the wake-up came; one stall of
  ///   ``SafetyConfiguration/overrunStallNanoseconds`` or more trips at once.
  public mutating func noteOverrun(nowNanoseconds: UInt64, latenessNanoseconds: UInt64 = 0) {
    _ = overruns.noteOverrun(nowNanoseconds: nowNanoseconds)
    overrunNoted = true
    worstStallNanoseconds = max(worstStallNanoseconds, latenessNanoseconds)
  }

  /// The time cap in force, ns.
  public var timeCapNanoseconds: UInt64 {
    configuration.timeCap(plannedNanoseconds: plannedTreatmentNanoseconds)
  }

  /// The dose cap in force, CEM43 minutes.
  public var doseCapMinutes: Double {
    configuration.doseCapMinutes(window: window, plannedNanoseconds: plannedTreatmentNanoseconds)
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
      for index in 0..<sensorCount {
        lastNewSample[index] = now
        unchangedSince[index] = now
      }
    }
    if let trip {
      causePresent = isCausePresent(trip, snapshot, input)
      return .tripped(trip)
    }
    if input.phaseIndex != armedPhase {
      armedPhase = input.phaseIndex
      isArmed = false
      outOfWindowSince = SafetySupervisor.never
      for index in 0..<maximumSensorCount { freezeHistory[index].clear() }
    }
    trackCommand(input)
    if overrunNoted, let found = checkOverruns(now) { return latch(found) }
    var hold = false
    var controlCelsius: Double? = nil
    for index in 0..<sensorCount {
      let reading = snapshot.readings.span[index]
      if let found = checkFreshness(index, reading, now, hold: &hold) { return latch(found) }
      guard let sample = reading.sample else { continue }
      let celsius = sample.celsius
      let plausible = configuration.plausibleRange.contains(celsius)
      let range = configuration.plausibleRange
      if let found = Self.persist(
        &implausibleSince[index], !plausible, now,
        configuration.plausibilityPersistenceNanoseconds, .sensorPlausibility, .sensor(index),
        celsius, celsius < range.lowCelsius ? range.lowCelsius : range.highCelsius)
      {
        return latch(found)
      }
      guard plausible else { continue }
      if index == controlIndex { controlCelsius = celsius }
      if index == doseIndex { accrueDose(celsius, now) }
      if let found = checkLimits(index, celsius, now, input) { return latch(found) }
      guard sensors[index].measuresControlledTemperature else { continue }
      if let found = checkRate(index, celsius, now, input) { return latch(found) }
      if sample.isNew, let found = checkStuck(index, celsius, now) { return latch(found) }
    }
    if let found = checkDisagreement(snapshot, now) { return latch(found) }
    if let celsius = controlCelsius {
      if let found = checkWindow(celsius, input) { return latch(found) }
      if let found = checkProgress(celsius, input) { return latch(found) }
      if let found = checkFreeze(snapshot, input) { return latch(found) }
      if let found = checkModel(celsius, input) { return latch(found) }
    }
    if let found = checkReadBack(input) { return latch(found) }
    if let found = checkInterlocks(input) { return latch(found) }
    if let found = checkCaps(input) { return latch(found) }
    return hold ? .holdOff : .run
  }

  /// Latches a trip raised outside the checks (a power stage that refused a write).
  public mutating func tripNow(_ check: SafetyCheck, nowNanoseconds: UInt64) -> TripRecord {
    if let trip { return trip }
    let record = TripRecord(
      check: check, subject: .powerStage, reading: .nan, limit: .nan,
      conditionSinceNanoseconds: nowNanoseconds, detectedNanoseconds: nowNanoseconds)
    trip = record
    causePresent = false
    return record
  }

  /// Records when the safe state was written to the power stage, and the
  /// fault its safe-off reported, if any.
  public mutating func noteSafeState(atNanoseconds nanoseconds: UInt64, fault: FaultKind? = nil) {
    trip?.safeStateNanoseconds = nanoseconds
    trip?.safeStateFault = fault
  }

  /// Clears a latched trip, if its class allows a reset and its cause is
  /// gone as of the last ``evaluate(_:_:)`` (a sensor that delivers fresh,
  /// plausible, agreeing samples again; an interlock made again). Every
  /// persistence timer starts again, so a cause that returns trips again
  /// after its persistence. Returns whether the latch was cleared.
  public mutating func reset(nowNanoseconds: UInt64) -> Bool {
    guard let trip else { return true }
    guard !trip.check.needsNewTreatment, !causePresent else { return false }
    self.trip = nil
    causePresent = false
    for index in 0..<maximumSensorCount {
      implausibleSince[index] = SafetySupervisor.never
      lastNewSample[index] = nowNanoseconds
      disagreementSince[index] = SafetySupervisor.never
      unchangedSince[index] = nowNanoseconds
      unchangedCelsius[index] = .nan
      rateHistory[index].clear()
      freezeHistory[index].clear()
    }
    for index in 0..<48 { limitSince[index] = SafetySupervisor.never }
    outOfWindowSince = SafetySupervisor.never
    progressSince = SafetySupervisor.never
    readBackSince = SafetySupervisor.never
    contactSince = SafetySupervisor.never
    coolantSince = SafetySupervisor.never
    mismatchSince = SafetySupervisor.never
    commandHighSince = SafetySupervisor.never
    isArmed = false
    overruns.clear()
    overrunNoted = false
    worstStallNanoseconds = 0
    return true
  }

  /// Too many overruns within the window (checked only in a tick that noted one).
  private mutating func checkOverruns(_ now: UInt64) -> TripRecord? {
    overrunNoted = false
    let stall = worstStallNanoseconds
    worstStallNanoseconds = 0
    if stall >= configuration.overrunStallNanoseconds {
      // The loop could not see anything while it stalled: detection is now.
      return TripRecord(
        check: .loopOverrun, subject: .none, reading: Double(stall) * 1e-9,
        limit: Double(configuration.overrunStallNanoseconds) * 1e-9,
        conditionSinceNanoseconds: now, detectedNanoseconds: now)
    }
    let within = overruns.countWithinWindow(endingAt: now)
    guard within > overruns.limit else { return nil }
    return TripRecord(
      check: .loopOverrun, subject: .none, reading: Double(within), limit: Double(overruns.limit),
      conditionSinceNanoseconds: overruns.oldestWithinWindow(endingAt: now) ?? now,
      detectedNanoseconds: now)
  }

  private mutating func latch(_ record: TripRecord) -> SafetyVerdict {
    trip = record
    // The checks whose cause can be watched start with it present.
    switch record.check {
    case .staleData, .sensorPlausibility, .interlock, .sensorDisagreement: causePresent = true
    default: causePresent = false
    }
    return .tripped(record)
  }

  /// While latched: is the trip's cause still there in this tick's readings?
  private mutating func isCausePresent(
    _ trip: TripRecord, _ snapshot: SensorSnapshot, _ input: SupervisorInput
  ) -> Bool {
    switch (trip.check, trip.subject) {
    case (.staleData, .sensor(let index)):
      guard index >= 0 && index < sensorCount else { return false }
      let now = input.nowNanoseconds
      if let sample = snapshot.readings.span[index].sample, sample.isNew {
        lastNewSample[index] = now
      }
      return now - min(lastNewSample[index], now) >= staleHoldNanoseconds(index)
    case (.sensorPlausibility, .sensor(let index)):
      guard index >= 0 && index < sensorCount, let sample = snapshot.readings.span[index].sample
      else { return true }
      return !configuration.plausibleRange.contains(sample.celsius)
    case (.sensorDisagreement, .sensorPair(let first, let second)):
      guard let a = snapshot.readings.span[first].sample?.celsius,
        let b = snapshot.readings.span[second].sample?.celsius
      else { return true }
      return abs(a - b) > configuration.disagreementCelsius
    case (.interlock, .interlock(let kind)):
      return kind == .contact ? !input.interlocks.contactMade : !input.interlocks.coolantFlowing
    default:
      return false
    }
  }

  /// How long a sensor may go without a new sample before the output is held off, ns.
  /// (The private helpers are `mutating` or `static` so that the tick never
  /// copies the supervisor: a non-mutating call from a mutating one copied
  /// all 8 KB of it on this toolchain.)
  private mutating func staleHoldNanoseconds(_ index: Int) -> UInt64 {
    max(configuration.staleHoldNanoseconds, Self.saturating(3, sensors[index].periodNanoseconds))
  }

  /// Tracks `since` for a condition; returns a trip once it has held for `persistence`.
  private static func persist(
    _ since: inout UInt64, _ condition: Bool, _ now: UInt64, _ persistence: UInt64,
    _ check: SafetyCheck, _ subject: TripSubject, _ reading: Double, _ limit: Double
  ) -> TripRecord? {
    guard condition else {
      since = SafetySupervisor.never
      return nil
    }
    if since == SafetySupervisor.never { since = now }
    guard now - since >= persistence else { return nil }
    return TripRecord(
      check: check, subject: subject, reading: reading, limit: limit,
      conditionSinceNanoseconds: since, detectedNanoseconds: now)
  }

  private mutating func trackCommand(_ input: SupervisorInput) {
    if abs(input.lastCommand) > configuration.stuckCommandFraction {
      if commandHighSince == SafetySupervisor.never { commandHighSince = input.nowNanoseconds }
    } else {
      commandHighSince = SafetySupervisor.never
    }
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
      return TripRecord(
        check: .staleData, subject: .sensor(index), reading: Double(age) * 1e-9,
        limit: Double(tripAfter) * 1e-9, conditionSinceNanoseconds: lastNewSample[index],
        detectedNanoseconds: now)
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
      if let found = Self.persist(
        &limitSince[slot], applies && crossed, now, rule.persistenceNanoseconds, rule.check,
        .sensor(index), celsius, rule.thresholdCelsius)
      {
        return found
      }
    }
    return nil
  }

  /// Rate of change of the controlled temperature: the least-squares slope
  /// over the window, never raw differences (at 10 Hz, 0.05 °C of noise gives
  /// raw slopes of σ ≈ 0.7 °C/s; an 11-sample fit over 1 s cuts that about
  /// fifteenfold). The first slope comes once the kept samples span nine
  /// tenths of the window (a sample is kept every twelfth of it).
  private mutating func checkRate(
    _ index: Int, _ celsius: Double, _ now: UInt64, _ input: SupervisorInput
  ) -> TripRecord? {
    let window = max(configuration.rateWindowNanoseconds, 1_000_000_000)
    rateHistory[index].add(
      nowNanoseconds: now, celsius: celsius, command: input.lastCommand, windowNanoseconds: window)
    // The in-place read: a non-mutating call on an `InlineArray` element
    // copies it on this toolchain (see `SampleHistory`).
    guard
      let slope = rateHistory[index].slopeInPlace(nowNanoseconds: now, windowNanoseconds: window)
    else { return nil }
    let rise = configuration.rateRiseLimitCelsiusPerSecond
    let fall = configuration.rateFallLimitCelsiusPerSecond
    guard slope > rise || -slope > fall else { return nil }
    return TripRecord(
      check: .rateOfChange, subject: .sensor(index), reading: slope,
      limit: slope > 0 ? rise : -fall, conditionSinceNanoseconds: now, detectedNanoseconds: now)
  }

  /// A sensor whose new samples stay within its resolution while the
  /// actuator works hard, judged on its own period and resolution.
  private mutating func checkStuck(_ index: Int, _ celsius: Double, _ now: UInt64) -> TripRecord? {
    let reference = unchangedCelsius[index]
    if !(abs(celsius - reference) <= sensors[index].resolutionCelsius) {
      unchangedCelsius[index] = celsius
      unchangedSince[index] = now
      return nil
    }
    guard commandHighSince != SafetySupervisor.never else { return nil }
    let since = max(unchangedSince[index], commandHighSince)
    let persistence = max(
      configuration.stuckPersistenceNanoseconds,
      Self.saturating(5, sensors[index].periodNanoseconds))
    guard now - since >= persistence else { return nil }
    return TripRecord(
      check: .stuckSensor, subject: .sensor(index), reading: celsius,
      limit: sensors[index].resolutionCelsius, conditionSinceNanoseconds: since,
      detectedNanoseconds: now)
  }

  private mutating func checkDisagreement(_ snapshot: SensorSnapshot, _ now: UInt64)
    -> TripRecord?
  {
    guard controlIndex < sensorCount,
      let control = snapshot.readings.span[controlIndex].sample?.celsius,
      configuration.plausibleRange.contains(control)
    else { return nil }
    for index in 0..<sensorCount where sensors[index].role == .redundant {
      guard let other = snapshot.readings.span[index].sample?.celsius,
        configuration.plausibleRange.contains(other)
      else {
        disagreementSince[index] = SafetySupervisor.never
        continue
      }
      let difference = abs(control - other)
      if let found = Self.persist(
        &disagreementSince[index], difference > configuration.disagreementCelsius, now,
        configuration.disagreementPersistenceNanoseconds, .sensorDisagreement,
        .sensorPair(controlIndex, index), difference, configuration.disagreementCelsius)
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
    return Self.persist(
      &outOfWindowSince, outside, input.nowNanoseconds,
      configuration.outOfWindowPersistenceNanoseconds, .outOfWindow, .sensor(controlIndex),
      celsius, celsius < band.lowCelsius ? band.lowCelsius : band.highCelsius)
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
      abs(input.targetCelsius - celsius)
      > window.halfWidthCelsius + configuration.progressDistanceCelsius
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
      check: .mustProgress, subject: .sensor(controlIndex), reading: celsius,
      limit: progressReference + toward * configuration.progressMinimumChangeCelsius,
      conditionSinceNanoseconds: progressSince, detectedNanoseconds: now)
  }

  /// Freeze: while holding, a rise of the set size within the window at
  /// unchanged or stronger cooling (the command no higher than it was, with
  /// two hundredths of full scale for the controller's own jitter) that
  /// leaves the control sensor above its setpoint by half the rise, and that
  /// every plausible redundant sensor follows by at least half the rise
  /// (their lag differs): a single drifting or detached probe does not look
  /// like a freeze, and neither does the approach to a higher setpoint.
  private mutating func checkFreeze(_ snapshot: SensorSnapshot, _ input: SupervisorInput)
    -> TripRecord?
  {
    guard configuration.freezeDetection, isArmed, input.phaseKind == .treatment else { return nil }
    let now = input.nowNanoseconds
    let window = configuration.freezeWindowNanoseconds
    let rise = configuration.freezeRiseCelsius
    var controlStart: UInt64? = nil
    var controlCelsius = Double.nan
    var redundantFollow = true
    for index in 0..<sensorCount where sensors[index].measuresControlledTemperature {
      guard let celsius = snapshot.readings.span[index].sample?.celsius,
        configuration.plausibleRange.contains(celsius)
      else { continue }
      let needed = index == controlIndex ? rise : rise / 2
      let start = freezeHistory[index].riseStartInPlace(
        nowNanoseconds: now, windowNanoseconds: window, celsius: celsius,
        command: input.lastCommand, rise: needed, slack: 0.02)
      freezeHistory[index].add(
        nowNanoseconds: now, celsius: celsius, command: input.lastCommand,
        windowNanoseconds: window)
      if index == controlIndex {
        controlStart = start
        controlCelsius = celsius
      } else if start == nil {
        redundantFollow = false
      }
    }
    guard let start = controlStart, redundantFollow,
      controlCelsius >= input.targetCelsius + rise / 2
    else { return nil }
    return TripRecord(
      check: .freezeDetected, subject: .sensor(controlIndex), reading: controlCelsius,
      limit: rise, conditionSinceNanoseconds: start, detectedNanoseconds: now)
  }

  /// Model mismatch: once armed in a treatment phase, the controlled
  /// temperature must stay within the set distance of the model's
  /// prediction from the applied commands (off without a prediction).
  private mutating func checkModel(_ celsius: Double, _ input: SupervisorInput) -> TripRecord? {
    guard let predicted = input.modelPredictionCelsius, isArmed, input.phaseKind == .treatment
    else {
      mismatchSince = SafetySupervisor.never
      return nil
    }
    let limit = configuration.modelMismatchCelsius
    return Self.persist(
      &mismatchSince, !(abs(celsius - predicted) <= limit), input.nowNanoseconds,
      configuration.modelMismatchPersistenceNanoseconds, .modelMismatch, .sensor(controlIndex),
      celsius, celsius < predicted ? predicted - limit : predicted + limit)
  }

  private mutating func checkReadBack(_ input: SupervisorInput) -> TripRecord? {
    guard let measured = input.readBack else {
      readBackSince = SafetySupervisor.never
      return nil
    }
    let mismatch = abs(measured - input.lastCommand)
    let edge =
      input.lastCommand
      + (measured >= input.lastCommand ? 1 : -1) * configuration.readBackTolerance
    return Self.persist(
      &readBackSince, !(mismatch <= configuration.readBackTolerance), input.nowNanoseconds,
      configuration.readBackPersistenceNanoseconds, .actuatorReadBack, .powerStage, measured, edge)
  }

  private mutating func checkInterlocks(_ input: SupervisorInput) -> TripRecord? {
    let now = input.nowNanoseconds
    if let found = Self.persist(
      &contactSince, !input.interlocks.contactMade, now,
      configuration.contactPersistenceNanoseconds, .interlock, .interlock(.contact), .nan, .nan)
    {
      return found
    }
    return Self.persist(
      &coolantSince, !input.interlocks.coolantFlowing, now,
      configuration.coolantPersistenceNanoseconds, .interlock, .interlock(.coolant), .nan, .nan)
  }

  private mutating func accrueDose(_ celsius: Double, _ now: UInt64) {
    if let held = doseCelsius, now > doseNanoseconds {
      cem43Minutes += doseRates.cem43Minutes(
        celsius: held, seconds: Double(now - doseNanoseconds) * 1e-9)
    }
    doseCelsius = celsius
    doseNanoseconds = now
  }

  private mutating func checkCaps(_ input: SupervisorInput) -> TripRecord? {
    let now = input.nowNanoseconds
    let cap = timeCapNanoseconds
    if input.treatmentElapsedNanoseconds > cap {
      return TripRecord(
        check: .timeCap, subject: .none,
        reading: Double(input.treatmentElapsedNanoseconds) / 60e9, limit: Double(cap) / 60e9,
        conditionSinceNanoseconds: now - min(input.treatmentElapsedNanoseconds - cap, now),
        detectedNanoseconds: now)
    }
    if configuration.doseCapEnabled && doseIndex >= 0 && cem43Minutes > doseCapMinutes {
      return TripRecord(
        check: .doseCap, subject: .sensor(doseIndex), reading: cem43Minutes,
        limit: doseCapMinutes, conditionSinceNanoseconds: now, detectedNanoseconds: now)
    }
    return nil
  }
}

extension SafetySupervisor {
  /// The longest a trip may take from the onset of its condition
  /// (``TripRecord/conditionSinceNanoseconds``) to its detection: the
  /// check's persistence plus one sample period (the sensor's own period,
  /// or the tick when longer or when no sensor is involved).
  public func reactionBoundNanoseconds(for trip: TripRecord, tickNanoseconds: UInt64) -> UInt64 {
    let index = trip.sensorIndex
    let period =
      index >= 0 && index < sensorCount
      ? max(sensors[index].periodNanoseconds, tickNanoseconds) : tickNanoseconds
    let c = configuration
    let persistence: UInt64
    switch trip.check {
    case .sensorPlausibility: persistence = c.plausibilityPersistenceNanoseconds
    case .hardLow, .hardHigh:
      var longest: UInt64 = 0
      for rule in 0..<c.limitRuleCount
      where c.limitRules[rule].check == trip.check
        && c.limitRules[rule].thresholdCelsius == trip.limit
      {
        longest = max(longest, c.limitRules[rule].persistenceNanoseconds)
      }
      persistence = longest
    case .outOfWindow: persistence = c.outOfWindowPersistenceNanoseconds
    case .mustProgress: persistence = c.progressPeriodNanoseconds
    case .freezeDetected: persistence = c.freezeWindowNanoseconds
    case .sensorDisagreement: persistence = c.disagreementPersistenceNanoseconds
    case .stuckSensor:
      let own =
        index >= 0 && index < sensorCount ? Self.saturating(5, sensors[index].periodNanoseconds) : 0
      persistence = max(c.stuckPersistenceNanoseconds, own)
    case .staleData:
      let own =
        index >= 0 && index < sensorCount
        ? max(c.staleHoldNanoseconds, Self.saturating(3, sensors[index].periodNanoseconds)) : 0
      persistence = max(c.staleTripNanoseconds, own)
    case .actuatorReadBack: persistence = c.readBackPersistenceNanoseconds
    case .modelMismatch: persistence = c.modelMismatchPersistenceNanoseconds
    case .interlock:
      if case .interlock(.contact) = trip.subject {
        persistence = c.contactPersistenceNanoseconds
      } else {
        persistence = c.coolantPersistenceNanoseconds
      }
    case .rateOfChange, .timeCap, .doseCap, .actuatorFault, .loopOverrun: persistence = 0
    }
    let (bound, overflow) = persistence.addingReportingOverflow(period)
    return overflow ? .max : bound
  }

  /// `factor × nanoseconds`, or `UInt64.max` where that would overflow (a
  /// sensor period is input: a profile or a board file).
  static func saturating(_ factor: UInt64, _ nanoseconds: UInt64) -> UInt64 {
    let (product, overflow) = nanoseconds.multipliedReportingOverflow(by: factor)
    return overflow ? .max : product
  }
}
