import ApplicatorHAL

/// The two treatments this controller runs.
public enum TreatmentMode: UInt8, Sendable, Equatable {
  /// Cryolipolysis: a Peltier plate held at −13 … −11 °C; the actuator is signed.
  case cryolipolysis
  /// Laser lipolysis: fat at depth held at 45 … 47 °C by a 1060 nm laser; the actuator is 0 … 1.
  case laserLipolysis

  /// The command range of this mode's power stage.
  public var commandRange: CommandRange {
    self == .cryolipolysis ? .bipolar : .unipolar
  }
}

/// A band of temperatures, inclusive at both ends.
public struct TemperatureWindow: Sendable, Equatable {
  /// The lower edge, °C.
  public var lowCelsius: Double
  /// The upper edge, °C.
  public var highCelsius: Double

  /// Creates a window; `lowCelsius` must not exceed `highCelsius`.
  public init(lowCelsius: Double, highCelsius: Double) {
    self.lowCelsius = lowCelsius
    self.highCelsius = highCelsius
  }

  /// Whether `celsius` lies in the window.
  public func contains(_ celsius: Double) -> Bool {
    celsius >= lowCelsius && celsius <= highCelsius
  }

  /// The window widened by `margin` on both sides.
  public func widened(by margin: Double) -> TemperatureWindow {
    TemperatureWindow(lowCelsius: lowCelsius - margin, highCelsius: highCelsius + margin)
  }

  /// Half the width, °C.
  public var halfWidthCelsius: Double { (highCelsius - lowCelsius) / 2 }
}

/// Whether the window and treatment limits apply in a phase.
public enum PhaseKind: UInt8, Sendable, Equatable {
  /// Treating: the window, its limits, the metrics and the time cap apply.
  case treatment
  /// Getting somewhere (a planned rewarm): only the always-on checks apply.
  case transition
}

/// One phase of a treatment.
public struct TreatmentPhase: Sendable, Equatable {
  /// Treatment or transition.
  public var kind: PhaseKind
  /// The setpoint the phase holds, °C.
  public var setpointCelsius: Double
  /// How long the phase lasts, ns.
  public var durationNanoseconds: UInt64
  /// The fastest the setpoint may move toward this phase's value, °C/s
  /// (infinity for a step).
  public var rampCelsiusPerSecond: Double

  /// Creates a phase.
  public init(
    kind: PhaseKind, setpointCelsius: Double, durationNanoseconds: UInt64,
    rampCelsiusPerSecond: Double = .infinity
  ) {
    self.kind = kind
    self.setpointCelsius = setpointCelsius
    self.durationNanoseconds = durationNanoseconds
    self.rampCelsiusPerSecond = rampCelsiusPerSecond
  }
}

/// The most phases a treatment plan holds.
public let maximumPhaseCount = 8

/// A treatment: its mode, its window and its phases in order.
///
/// When the clock passes the end of the last phase the plan stays in that
/// phase: the loop runner decides when to stop, and the supervisor's time
/// cap is what protects a treatment whose end was missed.
public struct TreatmentPlan: Sendable {
  /// The mode.
  public let mode: TreatmentMode
  /// The window held in treatment phases.
  public let window: TemperatureWindow
  private var phases: InlineArray<8, TreatmentPhase>
  /// The number of phases.
  public let phaseCount: Int
  /// The sum of all phase durations, ns.
  public let totalNanoseconds: UInt64
  /// The sum of the treatment phases' durations, ns: the planned hold.
  public let plannedTreatmentNanoseconds: UInt64

  /// Creates a plan from up to ``maximumPhaseCount`` phases (more are ignored:
  /// validate first); an empty list becomes one zero-length transition at 0 °C.
  public init(mode: TreatmentMode, window: TemperatureWindow, phases list: [TreatmentPhase]) {
    self.mode = mode
    self.window = window
    let fallback = TreatmentPhase(kind: .transition, setpointCelsius: 0, durationNanoseconds: 0)
    phases = InlineArray(repeating: fallback)
    phaseCount = max(1, min(list.count, maximumPhaseCount))
    var total: UInt64 = 0
    var treating: UInt64 = 0
    for (index, phase) in list.prefix(maximumPhaseCount).enumerated() {
      phases[index] = phase
      total += phase.durationNanoseconds
      if phase.kind == .treatment { treating += phase.durationNanoseconds }
    }
    totalNanoseconds = total
    plannedTreatmentNanoseconds = treating
  }

  /// The phase in a slot.
  public func phase(_ index: Int) -> TreatmentPhase { phases[index] }

  /// Which phase is running `elapsedNanoseconds` after the start, and when it began.
  public func phaseIndex(atElapsed elapsedNanoseconds: UInt64) -> (
    index: Int, startNanoseconds: UInt64
  ) {
    var start: UInt64 = 0
    for index in 0..<phaseCount - 1 {
      let end = start + phases[index].durationNanoseconds
      if elapsedNanoseconds < end { return (index, start) }
      start = end
    }
    return (phaseCount - 1, start)
  }
}
