/// The checks the safety supervisor runs; each trip names one.
public enum SafetyCheck: UInt8, Sendable, Equatable, CaseIterable {
  /// A reading outside the physically plausible range (open or shorted sensor).
  case sensorPlausibility
  /// A reading at or below a hard low limit.
  case hardLow
  /// A reading at or above a hard high limit.
  case hardHigh
  /// The controlled temperature left the widened window after it was entered.
  case outOfWindow
  /// The actuator pushes hard toward a far target and the temperature does not follow.
  case mustProgress
  /// A sensor delivered no new sample for too long.
  case staleData
  /// The treatment ran longer than planned plus the allowance.
  case timeCap
  /// An interlock (contact, vacuum, coolant flow) was lost.
  case interlock
  /// The power stage refused a write.
  case actuatorFault

  /// A stable kebab-case name used in profiles, telemetry and reports.
  public var name: StaticString {
    switch self {
    case .sensorPlausibility: "sensor-plausibility"
    case .hardLow: "hard-low"
    case .hardHigh: "hard-high"
    case .outOfWindow: "out-of-window"
    case .mustProgress: "must-progress"
    case .staleData: "stale-data"
    case .timeCap: "time-cap"
    case .interlock: "interlock"
    case .actuatorFault: "actuator-fault"
    }
  }

  /// Whether clearing this trip needs a new treatment rather than a reset.
  public var needsNewTreatment: Bool {
    self == .hardLow || self == .hardHigh || self == .timeCap
  }
}

/// Where a sensor sits, which decides which limits apply to it.
public enum SensorSite: UInt8, Sendable, Equatable {
  /// On the applicator plate.
  case plate
  /// On the TEC hot side or heatsink.
  case hotSide
  /// In or on the skin.
  case skin
  /// In fat.
  case fat
  /// In muscle.
  case muscle
}

/// What a sensor is for.
public enum SensorRole: UInt8, Sendable, Equatable {
  /// The controlled temperature.
  case control
  /// A second sensor of the controlled temperature.
  case redundant
  /// Watched by the supervisor, not controlled.
  case monitor
}

/// What the supervisor knows about a sensor.
public struct SensorDescriptor: Sendable, Equatable {
  /// Where it sits.
  public var site: SensorSite
  /// What it is for.
  public var role: SensorRole
  /// Its own conversion period, ns (staleness is judged on it).
  public var periodNanoseconds: UInt64

  /// Creates a descriptor.
  public init(site: SensorSite, role: SensorRole, periodNanoseconds: UInt64) {
    self.site = site
    self.role = role
    self.periodNanoseconds = periodNanoseconds
  }
}

/// A latched trip: which check fired, on what, and when.
public struct TripRecord: Sendable, Equatable {
  /// The check that fired.
  public var check: SafetyCheck
  /// The sensor slot whose reading fired it, or −1.
  public var sensorIndex: Int
  /// The reading that fired it (°C; for the time cap, elapsed minutes; NaN when none).
  public var reading: Double
  /// The limit it crossed (same unit as `reading`).
  public var limit: Double
  /// When the check's condition first held, ns: when the fault became detectable.
  public var conditionSinceNanoseconds: UInt64
  /// When the check tripped, ns.
  public var detectedNanoseconds: UInt64
  /// When the safe state was written to the power stage, ns.
  public var safeStateNanoseconds: UInt64

  /// Creates a record.
  public init(
    check: SafetyCheck, sensorIndex: Int, reading: Double, limit: Double,
    conditionSinceNanoseconds: UInt64, detectedNanoseconds: UInt64
  ) {
    self.check = check
    self.sensorIndex = sensorIndex
    self.reading = reading
    self.limit = limit
    self.conditionSinceNanoseconds = conditionSinceNanoseconds
    self.detectedNanoseconds = detectedNanoseconds
    self.safeStateNanoseconds = detectedNanoseconds
  }
}
