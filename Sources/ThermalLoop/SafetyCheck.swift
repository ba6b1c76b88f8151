import ApplicatorHAL

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
  /// The controlled temperature changes faster than physics allows (least-squares slope).
  case rateOfChange
  /// A rise at unchanged or stronger cooling while holding: tissue water froze.
  case freezeDetected
  /// Two sensors of the same temperature disagree.
  case sensorDisagreement
  /// A sensor's reading does not change while the actuator works hard.
  case stuckSensor
  /// A sensor delivered no new sample for too long.
  case staleData
  /// The power stage's measured output does not follow the command.
  case actuatorReadBack
  /// The treatment ran longer than planned plus the allowance.
  case timeCap
  /// The thermal dose went beyond the plan plus the allowance.
  case doseCap
  /// An interlock (contact, vacuum, coolant flow, key switch) was lost or
  /// could not be read.
  case interlock
  /// The power stage refused a write.
  case actuatorFault
  /// The loop missed its deadline by a whole period too often within a window.
  case loopOverrun
  /// The controlled temperature left the model-based controller's
  /// prediction from the applied commands (a sensor that reads fine but
  /// needs far too much or too little power).
  case modelMismatch
  /// The actuator pushes hard toward a far target and the controlled
  /// temperature moves away from it (an actuator with the opposite sign).
  case wrongDirection
  /// A rig's fail-safe lease lapsed (its status bit 6): the rig turned its
  /// output off by itself, and the host never turns it on again in the run.
  case leaseLapsed

  /// A stable kebab-case name used in profiles, telemetry and reports.
  public var name: StaticString {
    switch self {
    case .sensorPlausibility: "sensor-plausibility"
    case .hardLow: "hard-low"
    case .hardHigh: "hard-high"
    case .outOfWindow: "out-of-window"
    case .mustProgress: "must-progress"
    case .rateOfChange: "rate-of-change"
    case .freezeDetected: "freeze-detected"
    case .sensorDisagreement: "sensor-disagreement"
    case .stuckSensor: "stuck-sensor"
    case .staleData: "stale-data"
    case .actuatorReadBack: "actuator-read-back"
    case .timeCap: "time-cap"
    case .doseCap: "dose-cap"
    case .interlock: "interlock"
    case .actuatorFault: "actuator-fault"
    case .loopOverrun: "loop-overrun"
    case .modelMismatch: "model-mismatch"
    case .wrongDirection: "wrong-direction"
    case .leaseLapsed: "lease-lapsed"
    }
  }

  /// Whether clearing this trip needs a new treatment rather than a reset.
  public var needsNewTreatment: Bool {
    switch self {
    case .hardLow, .hardHigh, .timeCap, .doseCap, .freezeDetected, .leaseLapsed: true
    default: false
    }
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
  /// Its own conversion period, ns (staleness and stuck-ness are judged on it).
  public var periodNanoseconds: UInt64
  /// Its resolution, °C: a change smaller than this is no change.
  public var resolutionCelsius: Double

  /// Creates a descriptor.
  public init(
    site: SensorSite, role: SensorRole, periodNanoseconds: UInt64, resolutionCelsius: Double = 0.01
  ) {
    self.site = site
    self.role = role
    self.periodNanoseconds = periodNanoseconds
    self.resolutionCelsius = resolutionCelsius
  }

  /// Whether it measures the controlled temperature (control or redundant).
  public var measuresControlledTemperature: Bool { role != .monitor }
}

/// Which interlock a trip is about.
public enum InterlockKind: UInt8, Sendable, Equatable {
  /// Skin contact or vacuum.
  case contact
  /// Coolant flow.
  case coolant
  /// The operator's key switch (off: every interlock open).
  case keySwitch
}

/// What a trip is about, beyond its check.
public enum TripSubject: Sendable, Equatable {
  /// Nothing more specific (time and dose caps).
  case none
  /// One sensor slot.
  case sensor(Int)
  /// Two sensor slots that disagree.
  case sensorPair(Int, Int)
  /// An interlock.
  case interlock(InterlockKind)
  /// The interlocks, which could not be read: the fault that kept them
  /// from being read (every interlock then counts as open).
  case interlocksUnreadable(FaultKind)
  /// The power stage.
  case powerStage

  /// The (first) sensor slot, or −1.
  public var sensorIndex: Int {
    switch self {
    case .sensor(let index), .sensorPair(let index, _): index
    default: -1
    }
  }
}

/// A latched trip: which check fired, on what, the readings, and when.
public struct TripRecord: Sendable, Equatable {
  /// The check that fired.
  public var check: SafetyCheck
  /// What it fired on.
  public var subject: TripSubject
  /// The reading that fired it and the limit it crossed, with their unit
  /// and what they are readings of.
  public var measurement: SafetyMeasurement
  /// The reading that fired it, in ``SafetyMeasurement/unit`` (NaN when none).
  public var reading: Double { measurement.value }
  /// The limit it crossed, in the reading's unit (NaN when none).
  public var limit: Double { measurement.limit }
  /// When the check's condition began, ns: the reading first out of range,
  /// the last new sample, the last change of a stuck sensor. Detection comes
  /// at most the check's persistence plus one sample period later.
  public var conditionSinceNanoseconds: UInt64
  /// When the check tripped, ns.
  public var detectedNanoseconds: UInt64
  /// When the safe state was written to the power stage, ns.
  public var safeStateNanoseconds: UInt64
  /// The fault the power stage's safe-off reported in that tick (`nil`: the
  /// safe state was confirmed). The loop keeps re-asserting it every tick.
  public var safeStateFault: FaultKind? = nil

  /// Creates a record.
  public init(
    check: SafetyCheck, subject: TripSubject, measurement: SafetyMeasurement,
    conditionSinceNanoseconds: UInt64, detectedNanoseconds: UInt64
  ) {
    self.check = check
    self.subject = subject
    self.measurement = measurement
    self.conditionSinceNanoseconds = conditionSinceNanoseconds
    self.detectedNanoseconds = detectedNanoseconds
    self.safeStateNanoseconds = detectedNanoseconds
  }

  /// The (first) sensor slot, or −1.
  public var sensorIndex: Int { subject.sensorIndex }
}
