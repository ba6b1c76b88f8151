import ApplicatorHAL

/// Every safety check of the supervisor, as concrete components, and the
/// one order they run in.
///
/// **Adding a check** is one file in `Checks/` (a ``SafetyComponent``) and
/// one registration here: a stored property, created in `init`, and its line
/// in ``visit(_:)`` (plus its name in ``SafetyCheck`` when it reports a new
/// kind of trip). The order of ``visit(_:)`` is the order of evaluation in
/// every stage of a tick, so when several conditions meet in one tick the
/// first registered wins: per sensor slot freshness, plausibility, hard
/// limits, rate, stuck; then disagreement, window, progress, wrong
/// direction, freeze, model, read-back, interlocks, time cap, dose cap. The overrun watchdog is the
/// only check of the stage before the sensors.
struct SafetyComponents: Sendable {
  var staleData: StaleDataCheck
  var plausibility: PlausibilityCheck
  var hardLimits: HardLimitCheck
  var rateOfChange: RateOfChangeCheck
  var stuckSensor: StuckSensorCheck
  var disagreement: DisagreementCheck
  var outOfWindow: OutOfWindowCheck
  var mustProgress: MustProgressCheck
  var wrongDirection: WrongDirectionCheck
  var freeze: FreezeCheck
  var modelMismatch: ModelMismatchCheck
  var readBack: ReadBackCheck
  var interlocks: InterlockCheck
  var timeCap: TimeCapCheck
  var doseCap: DoseCapCheck
  var loopOverrun: LoopOverrunCheck

  /// Creates every component from the configuration, the plan and the sensors.
  init(
    _ configuration: SafetyConfiguration, plan: TreatmentPlan,
    sensors: InlineArray<8, SensorDescriptor>, count: Int
  ) {
    staleData = StaleDataCheck(configuration, sensors: sensors, count: count)
    plausibility = PlausibilityCheck(configuration)
    hardLimits = HardLimitCheck(configuration, sensors: sensors, count: count)
    rateOfChange = RateOfChangeCheck(configuration, sensors: sensors, count: count)
    stuckSensor = StuckSensorCheck(configuration, sensors: sensors, count: count)
    disagreement = DisagreementCheck(configuration, sensors: sensors, count: count)
    outOfWindow = OutOfWindowCheck(configuration)
    mustProgress = MustProgressCheck(configuration)
    wrongDirection = WrongDirectionCheck(configuration, mode: plan.mode)
    freeze = FreezeCheck(configuration, sensors: sensors, count: count)
    modelMismatch = ModelMismatchCheck(configuration)
    readBack = ReadBackCheck(configuration)
    interlocks = InterlockCheck(configuration)
    timeCap = TimeCapCheck(configuration, plannedNanoseconds: plan.plannedTreatmentNanoseconds)
    doseCap = DoseCapCheck(
      configuration, window: plan.window, plannedNanoseconds: plan.plannedTreatmentNanoseconds)
    loopOverrun = LoopOverrunCheck(configuration)
  }

  /// Visits every component in the order of evaluation; stops when the
  /// visitor asks to.
  @inline(__always)
  mutating func visit<Visitor: SafetyComponentVisitor>(_ visitor: inout Visitor) {
    if visitor.visit(&staleData) { return }
    if visitor.visit(&plausibility) { return }
    if visitor.visit(&hardLimits) { return }
    if visitor.visit(&rateOfChange) { return }
    if visitor.visit(&stuckSensor) { return }
    if visitor.visit(&disagreement) { return }
    if visitor.visit(&outOfWindow) { return }
    if visitor.visit(&mustProgress) { return }
    if visitor.visit(&wrongDirection) { return }
    if visitor.visit(&freeze) { return }
    if visitor.visit(&modelMismatch) { return }
    if visitor.visit(&readBack) { return }
    if visitor.visit(&interlocks) { return }
    if visitor.visit(&timeCap) { return }
    if visitor.visit(&doseCap) { return }
    if visitor.visit(&loopOverrun) { return }
  }
}

/// Runs one stage of a tick through the components; keeps the first trip.
struct EvaluationVisitor: SafetyComponentVisitor {
  /// The tick, handed to each component in turn; its stage says which
  /// method of the components runs.
  var tick: SafetyTick
  /// The first trip of the stage.
  var found: TripRecord? = nil

  @inline(__always)
  mutating func visit<Component: SafetyComponent>(_ component: inout Component) -> Bool {
    let trip: TripRecord?
    switch tick.stage {
    case .beforeSensors: trip = component.beforeSensors(&tick)
    case .sensor(let index): trip = component.checkSensor(index, &tick)
    case .afterSensors: trip = component.afterSensors(&tick)
    }
    guard let trip else { return false }
    found = trip
    return true
  }
}

/// Asks the component that owns a latched trip whether its cause is still there.
struct CauseVisitor: SafetyComponentVisitor {
  /// The latched trip.
  let trip: TripRecord
  /// This tick.
  var tick: SafetyTick
  /// The owner's answer (`nil`: no owner watches this cause).
  var present: Bool? = nil

  mutating func visit<Component: SafetyComponent>(_ component: inout Component) -> Bool {
    present = component.isCausePresent(of: trip, &tick)
    return present != nil
  }
}

/// Resets every component.
struct ResetVisitor: SafetyComponentVisitor {
  /// The reset's time, ns.
  let nowNanoseconds: UInt64

  mutating func visit<Component: SafetyComponent>(_ component: inout Component) -> Bool {
    component.reset(nowNanoseconds: nowNanoseconds)
    return false
  }
}

/// Asks the component that owns a trip for the persistence that bounds it.
struct PersistenceVisitor: SafetyComponentVisitor {
  /// The trip.
  let trip: TripRecord
  /// The owner's persistence, ns (`nil`: no component owns the trip).
  var persistenceNanoseconds: UInt64? = nil

  mutating func visit<Component: SafetyComponent>(_ component: inout Component) -> Bool {
    persistenceNanoseconds = component.persistenceNanoseconds(of: trip)
    return persistenceNanoseconds != nil
  }
}
