import ApplicatorHAL

/// Where in a tick the supervisor is when it asks its components.
///
/// A tick runs the components in their registration order
/// (``SafetyComponents``) three times over: once before the sensors
/// (``SafetyComponent/beforeSensors(_:)``), once per sensor slot
/// (``SafetyComponent/checkSensor(_:_:)``), once after the sensors
/// (``SafetyComponent/afterSensors(_:)``); the first trip found wins. So
/// the order in which several conditions of one tick are reported is fixed:
/// per sensor slot freshness, plausibility, hard limits, rate, stuck; then
/// the checks of the whole tick.
enum SafetyStage: Sendable, Equatable {
  /// Before any sensor: the overrun watchdog, the command's history, phase changes.
  case beforeSensors
  /// One sensor slot; ``SafetyTick/sensorCelsius`` holds its reading when
  /// it is a plausible sample.
  case sensor(Int)
  /// After the sensors: the checks of the controlled temperature, the
  /// stage, the interlocks and the caps.
  case afterSensors
}

/// What every component sees of one tick: the readings, the loop's input,
/// the supervisor's shared state (arming, hold) and the stage.
///
/// Built once per tick, handed `inout` from component to component, so no
/// component copies the readings. Stored properties only: on this
/// toolchain a computed property read through `inout` copied the whole
/// view, every read.
struct SafetyTick: Sendable {
  /// Where the tick is.
  var stage: SafetyStage = .beforeSensors
  /// The loop clock, ns.
  let nowNanoseconds: UInt64
  /// The readings of this tick.
  let snapshot: SensorSnapshot
  /// What the loop told the supervisor.
  let input: SupervisorInput
  /// The first tick the supervisor sees: timers that count from the start start now.
  let isFirst: Bool
  /// A new phase began with this tick: the window checks disarm.
  let phaseBegan: Bool
  /// The plausible range of any reading, °C.
  let plausibleRange: TemperatureWindow
  /// The treatment window, °C.
  let window: TemperatureWindow
  /// How many sensor slots the supervisor watches.
  let sensorCount: Int
  /// The slot of the controlled sensor.
  let controlIndex: Int
  /// The controlled reading when it is a plausible sample, °C.
  let controlCelsius: Double?
  /// The slot of the dose probe, or −1.
  let doseIndex: Int
  /// The dose so far at the dose probe, CEM43 minutes (the supervisor's
  /// ``DoseAccumulator``, the one that telemetry shows too).
  let cem43Minutes: Double
  /// In ``SafetyStage/sensor(_:)``: that slot's reading when it is a plausible sample, °C.
  var sensorCelsius: Double? = nil
  /// Whether the window checks are armed (set by ``OutOfWindowCheck``).
  var isArmed: Bool
  /// Whether the output is held off this tick without a trip (set by ``StaleDataCheck``).
  var hold = false
}

/// One safety check: its configuration, its state and the measurement its
/// trip reports, in one type.
///
/// The supervisor holds every component as a stored property of
/// ``SafetyComponents`` (no existentials: each is a concrete struct, called
/// through a generic visitor that the compiler specialises) and calls it in
/// a fixed order. A component keeps its own persistence timers, clears them
/// in ``reset(nowNanoseconds:)``, and states the persistence that bounds its
/// reaction. Every method is `mutating`: a non-mutating call from the
/// supervisor's mutating tick copied the receiver on this toolchain.
protocol SafetyComponent: Sendable {
  /// Before any sensor: returns a trip when its condition has held for its
  /// persistence (by default nothing).
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord?

  /// Sensor slot `index` (``SafetyTick/sensorCelsius`` holds its reading
  /// when it is a plausible sample): returns a trip when its condition has
  /// held for its persistence (by default nothing).
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord?

  /// After the sensors: returns a trip when its condition has held for its
  /// persistence (by default nothing).
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord?

  /// While `trip` is latched: whether its cause is still present in this
  /// tick; `nil` when the trip is not this component's or its cause is not
  /// watched (a reset is then not held back by it).
  mutating func isCausePresent(of trip: TripRecord, _ tick: inout SafetyTick) -> Bool?

  /// Clears every persistence timer and history: an explicit reset at `nowNanoseconds`.
  mutating func reset(nowNanoseconds: UInt64)

  /// The persistence that bounds the reaction to `trip`, ns, or `nil` when
  /// the trip is not this component's. The reaction bound is this plus one
  /// sample period (``SafetySupervisor/reactionBoundNanoseconds(for:tickNanoseconds:)``).
  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64?
}

extension SafetyComponent {
  /// Nothing before the sensors.
  @inline(__always)
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord? { nil }

  /// Nothing per sensor.
  @inline(__always)
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord? { nil }

  /// Nothing after the sensors.
  @inline(__always)
  mutating func afterSensors(_ tick: inout SafetyTick) -> TripRecord? { nil }

  /// Runs the stage ``SafetyTick/stage`` names (for a caller that drives
  /// one component by hand; the supervisor calls the stages directly).
  mutating func evaluate(_ tick: inout SafetyTick) -> TripRecord? {
    switch tick.stage {
    case .beforeSensors: beforeSensors(&tick)
    case .sensor(let index): checkSensor(index, &tick)
    case .afterSensors: afterSensors(&tick)
    }
  }

  /// No watched cause.
  mutating func isCausePresent(of trip: TripRecord, _ tick: inout SafetyTick) -> Bool? { nil }
}

/// Visits the components in their registration order.
protocol SafetyComponentVisitor {
  /// Visits one component; returns `true` to stop.
  mutating func visit<Component: SafetyComponent>(_ component: inout Component) -> Bool
}

/// When a condition began, for a check with a persistence.
struct ConditionTimer: Sendable, Equatable {
  /// No condition.
  static let never = UInt64.max
  /// When the condition began, ns (``never`` while it is absent).
  private(set) var sinceNanoseconds = ConditionTimer.never

  /// Forgets the condition.
  mutating func clear() { sinceNanoseconds = Self.never }

  /// Tracks the condition at `nowNanoseconds`; returns its onset once it
  /// has held for `persistenceNanoseconds` (0: at once).
  @inline(__always)
  mutating func track(_ condition: Bool, nowNanoseconds now: UInt64, persistenceNanoseconds: UInt64)
    -> UInt64?
  {
    guard condition else {
      sinceNanoseconds = Self.never
      return nil
    }
    if sinceNanoseconds == Self.never { sinceNanoseconds = now }
    guard now - min(sinceNanoseconds, now) >= persistenceNanoseconds else { return nil }
    return sinceNanoseconds
  }
}

/// `factor × nanoseconds`, or `UInt64.max` where that would overflow (a
/// sensor period is input: a profile or a board file).
func saturatingProduct(_ factor: UInt64, _ nanoseconds: UInt64) -> UInt64 {
  let (product, overflow) = nanoseconds.multipliedReportingOverflow(by: factor)
  return overflow ? .max : product
}

/// Nanoseconds as seconds.
@inline(__always)
func asSeconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) * 1e-9 }
