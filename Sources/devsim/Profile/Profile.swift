import ApplicatorHAL
import ThermalLoop

/// One sensor of a profile: its name, its physics and what the supervisor knows of it.
struct ProfileSensor {
  var name: String
  var model: SensorModel
  var descriptor: SensorDescriptor
}

/// One named phase of a profile.
struct ProfilePhase {
  var name: String
  var phase: TreatmentPhase
}

/// One scheduled fault of a profile, with a label for reports.
struct ProfileFault {
  var label: String
  var fault: ScheduledFault
}

/// A trip a scenario expects: the check, and the longest time from the
/// first injected fault (or the run start, without one) to its detection.
struct ExpectedTrip {
  var check: SafetyCheck
  var withinNanoseconds: UInt64
}

/// What a scenario must show for its run to pass.
struct Expectations {
  /// The trips that must happen, in order; empty: no trip may happen.
  var trips: [ExpectedTrip] = []
  /// The outcome of each scheduled operator reset, in order (`nil`: not checked).
  var resetsAccepted: [Bool]? = nil
  /// The smallest acceptable time-in-window fraction of each treatment phase.
  var timeInWindowAtLeast: Double?
}

/// A scenario file, decoded and checked: everything a run needs.
struct Profile {
  static let schemaVersion = 1

  var name: String
  var description: String
  var mode: TreatmentMode
  var seed: UInt64
  var tickNanoseconds: UInt64
  var window: TemperatureWindow
  var phases: [ProfilePhase]
  var gains: PIDGains
  var limits: OutputLimits
  var sensors: [ProfileSensor]
  var controlIndex: Int
  var doseIndex: Int
  var plant: PlantConfiguration
  var safety: SafetyConfiguration
  var faults: [ProfileFault]
  var durationNanoseconds: UInt64
  var observeAfterTripNanoseconds: UInt64
  /// Loop times at which an operator presses reset, ascending.
  var resetsNanoseconds: [UInt64]
  /// Whether the power stage measures its output.
  var stageReadBack: Bool
  /// A recorded trace to replay instead of simulating (resolved against the profile's folder).
  var replayPath: String? = nil
  /// The model-based controller's model (`controller.kind` `"model"`); `nil` for plain PID.
  var modelControl: ModelControlSettings? = nil
  var expect: Expectations

  /// Whether the controller drives the plant (the applicator surface), rather than a fixed open-loop boundary.
  var isClosedLoop: Bool { plant.surface == .applicator }

  var plan: TreatmentPlan {
    TreatmentPlan(mode: mode, window: window, phases: phases.map(\.phase))
  }
}

extension Profile {
  /// The profile's controller, supervisor and treatment around an applicator:
  /// the simulator, a recorded trace, or a rig.
  func controlLoop<World: Applicator>(on applicator: World) -> ControlLoop<World> {
    let plan = self.plan
    return ControlLoop(
      applicator: applicator, controller: PIDController(gains: gains, limits: limits),
      supervisor: SafetySupervisor(
        configuration: safety, plan: plan, sensors: sensors.map(\.descriptor),
        controlIndex: controlIndex, doseIndex: doseIndex),
      plan: plan, controlIndex: controlIndex, doseSensorIndex: doseIndex,
      isClosedLoop: isClosedLoop, modelControl: modelControl.map(ModelControl.init))
  }
}
