import ApplicatorHAL

/// The safety supervisor: runs every tick, independently of the controller,
/// and owns the last word on what reaches the actuator.
///
/// The checks are components (`Checks/`, one type each with its
/// configuration, its state and the typed ``SafetyMeasurement`` its trip
/// reports), run in the fixed order of ``SafetyComponents``: per sensor
/// freshness, plausibility, hard limits, rate of change, stuck; then
/// redundant pairs (disagreement), the controlled temperature (window once
/// armed, signed must-progress, wrong direction, freeze, model mismatch),
/// the power stage's read-back, the interlocks, the time cap and the dose
/// cap (see
/// `docs/safety.md`). The supervisor keeps what is shared: the latch, the
/// arming, and the one ``DoseAccumulator`` that the dose cap trips on and
/// telemetry shows.
///
/// A trip latches and is cleared only by ``reset(nowNanoseconds:)`` once
/// its cause is gone; hard limits, the caps and a freeze need a new
/// treatment. Every persistence is a duration, so the checks behave the
/// same at any loop rate. Fixed-size state: a tick allocates nothing.
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
  private var components: SafetyComponents
  /// The latched trip, if any.
  public private(set) var trip: TripRecord? = nil
  /// Whether the latched trip's cause was still present at the last look
  /// (stale data, an implausible reading, an open interlock, disagreeing
  /// sensors); a reset is refused while it is.
  private var causePresent = false
  private var started = false
  /// Whether the window checks are armed (the window was entered in this phase).
  public private(set) var isArmed = false
  private var armedPhase = -1
  /// The dose at the dose probe: the one accumulator, counted every tick
  /// the supervisor evaluates (latched or not), read by the dose cap and by
  /// the loop's metrics and telemetry.
  public private(set) var dose: DoseAccumulator

  /// Creates a supervisor for a plan's mode and window.
  ///
  /// - Parameters:
  ///   - sensors: one descriptor per sensor slot (at most ``maximumSensorCount``).
  ///   - controlIndex: the slot of the controlled sensor.
  ///   - doseIndex: the slot the dose is counted at, for the dose cap and
  ///     telemetry (−1: none).
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
    dose = DoseAccumulator(probeIndex: doseIndex < sensorCount ? doseIndex : -1)
    components = SafetyComponents(configuration, plan: plan, sensors: sensors, count: sensorCount)
  }

  /// The slot the dose is counted at, or −1.
  public var doseIndex: Int { dose.probeIndex }

  /// CEM43 at the dose probe so far, minutes: the figure the dose cap trips on.
  public var cem43Minutes: Double { dose.cem43Minutes }

  /// Counts the dose at another sensor slot from now on (−1: none); the
  /// dose cap reads the same accumulator.
  public mutating func countDose(atSensor index: Int) {
    dose.count(atProbe: index >= 0 && index < sensorCount ? index : -1)
  }

  /// Notes that the loop woke a whole period or more late at
  /// `nowNanoseconds`; the next ``evaluate(_:_:)`` (the same tick) trips if
  /// that makes too many within the window.
  ///
  /// - Parameter latenessNanoseconds: how late the wake-up came; one stall of
  ///   ``SafetyConfiguration/overrunStallNanoseconds`` or more trips at once.
  public mutating func noteOverrun(nowNanoseconds: UInt64, latenessNanoseconds: UInt64 = 0) {
    components.loopOverrun.note(
      nowNanoseconds: nowNanoseconds, latenessNanoseconds: latenessNanoseconds)
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
  ///
  /// The dose is counted first (every tick, latched or not); then, unless
  /// latched, the components run before the sensors, per sensor slot and
  /// after the sensors, and the first trip latches.
  public mutating func evaluate(_ snapshot: SensorSnapshot, _ input: SupervisorInput)
    -> SafetyVerdict
  {
    let now = input.nowNanoseconds
    dose.accrue(snapshot, plausible: configuration.plausibleRange, nowNanoseconds: now)
    if let trip {
      var visitor = CauseVisitor(
        trip: trip, tick: makeTick(snapshot, input, isFirst: false, phaseBegan: false))
      components.visit(&visitor)
      causePresent = visitor.present ?? false
      return .tripped(trip)
    }
    // The first tick checked: the timers that count from the start start now.
    let isFirst = !started
    started = true
    let phaseBegan = input.phaseIndex != armedPhase
    if phaseBegan {
      armedPhase = input.phaseIndex
      isArmed = false
    }
    var visitor = EvaluationVisitor(
      tick: makeTick(snapshot, input, isFirst: isFirst, phaseBegan: phaseBegan))
    components.visit(&visitor)
    if let found = visitor.found { return latch(found, &visitor.tick) }
    for index in 0..<sensorCount {
      visitor.tick.stage = .sensor(index)
      if let sample = snapshot.readings.span[index].sample,
        configuration.plausibleRange.contains(sample.celsius)
      {
        visitor.tick.sensorCelsius = sample.celsius
      } else {
        visitor.tick.sensorCelsius = nil
      }
      components.visit(&visitor)
      if let found = visitor.found { return latch(found, &visitor.tick) }
    }
    visitor.tick.stage = .afterSensors
    visitor.tick.sensorCelsius = nil
    components.visit(&visitor)
    isArmed = visitor.tick.isArmed
    if let found = visitor.found { return latch(found, &visitor.tick) }
    return visitor.tick.hold ? .holdOff : .run
  }

  /// The view of this tick every component gets.
  private mutating func makeTick(
    _ snapshot: SensorSnapshot, _ input: SupervisorInput, isFirst: Bool, phaseBegan: Bool
  ) -> SafetyTick {
    var controlCelsius: Double? = nil
    if controlIndex >= 0 && controlIndex < sensorCount,
      let sample = snapshot.readings.span[controlIndex].sample,
      configuration.plausibleRange.contains(sample.celsius)
    {
      controlCelsius = sample.celsius
    }
    return SafetyTick(
      nowNanoseconds: input.nowNanoseconds, snapshot: snapshot, input: input, isFirst: isFirst,
      phaseBegan: phaseBegan,
      plausibleRange: configuration.plausibleRange, window: window, sensorCount: sensorCount,
      controlIndex: controlIndex, controlCelsius: controlCelsius, doseIndex: dose.probeIndex,
      cem43Minutes: dose.cem43Minutes, isArmed: isArmed)
  }

  /// Latches a trip raised outside the checks (a power stage that refused a write).
  public mutating func tripNow(_ check: SafetyCheck, nowNanoseconds: UInt64) -> TripRecord {
    if let trip { return trip }
    let record = TripRecord(
      check: check, subject: .powerStage, measurement: .none,
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
    var visitor = ResetVisitor(nowNanoseconds: nowNanoseconds)
    components.visit(&visitor)
    isArmed = false
    return true
  }

  /// Latches `record`. A check whose cause is watched (stale data, an
  /// implausible reading, an open interlock, disagreeing sensors) starts
  /// with its cause present.
  private mutating func latch(_ record: TripRecord, _ tick: inout SafetyTick) -> SafetyVerdict {
    isArmed = tick.isArmed
    trip = record
    var visitor = CauseVisitor(trip: record, tick: tick)
    components.visit(&visitor)
    causePresent = visitor.present != nil
    return .tripped(record)
  }
}

extension SafetySupervisor {
  /// The longest a trip may take from the onset of its condition
  /// (``TripRecord/conditionSinceNanoseconds``) to its detection: the
  /// check's persistence (its component's) plus one sample period (the
  /// sensor's own period, or the tick when longer or when no sensor is
  /// involved). A trip raised outside the checks (``SafetyCheck/actuatorFault``)
  /// has no persistence.
  public func reactionBoundNanoseconds(for trip: TripRecord, tickNanoseconds: UInt64) -> UInt64 {
    let index = trip.sensorIndex
    let period =
      index >= 0 && index < sensorCount
      ? max(sensors[index].periodNanoseconds, tickNanoseconds) : tickNanoseconds
    var components = self.components
    var visitor = PersistenceVisitor(trip: trip)
    components.visit(&visitor)
    let (bound, overflow) = (visitor.persistenceNanoseconds ?? 0).addingReportingOverflow(period)
    return overflow ? .max : bound
  }

  /// `factor × nanoseconds`, or `UInt64.max` where that would overflow (a
  /// sensor period is input: a profile or a board file).
  static func saturating(_ factor: UInt64, _ nanoseconds: UInt64) -> UInt64 {
    saturatingProduct(factor, nanoseconds)
  }
}
