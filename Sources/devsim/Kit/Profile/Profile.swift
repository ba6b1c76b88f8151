import ApplicatorHAL
import ApplicatorSimulation
import ThermalLoop

/// One sensor of a profile: its name, its physics and what the supervisor knows of it.
package struct ProfileSensor {
  package var name: String
  package var model: SensorModel
  package var descriptor: SensorDescriptor
}

/// One named phase of a profile.
package struct ProfilePhase {
  package var name: String
  package var phase: TreatmentPhase
}

/// One scheduled fault of a profile, with a label for reports.
package struct ProfileFault {
  package var label: String
  package var fault: ScheduledFault
}

/// A trip a scenario expects: the check, and the longest time from the
/// first injected fault (or the run start, without one) to its detection.
package struct ExpectedTrip {
  package var check: SafetyCheck
  package var withinNanoseconds: UInt64
}

/// What a scenario must show for its run to pass.
package struct Expectations {
  /// The trips that must happen, in order; empty: no trip may happen.
  package var trips: [ExpectedTrip] = []
  /// The outcome of each scheduled operator reset, in order (`nil`: not checked).
  package var resetsAccepted: [Bool]? = nil
  /// The smallest acceptable time-in-window fraction of each treatment phase.
  package var timeInWindowAtLeast: Double?
}

/// A scenario file, decoded and checked: everything a run needs.
package struct Profile {
  package static let schemaVersion = 1
  /// The longest run a profile may ask for (`run.duration`, or the phases'
  /// total), ns: 4 h, more than any treatment (cryolipolysis 35 … 60 min,
  /// laser lipolysis 25 min) with its transitions.
  package static let maximumRunNanoseconds: UInt64 = 4 * 3_600 * 1_000_000_000
  /// The most ticks a run may take (run length × tick rate), which bounds its
  /// telemetry: one row per tick, so at most this many rows (about 200 MB of
  /// CSV with four sensors).
  package static let maximumTicks: UInt64 = 1_000_000

  package var name: String
  package var description: String
  package var mode: TreatmentMode
  package var seed: UInt64
  package var tickNanoseconds: UInt64
  package var window: TemperatureWindow
  package var phases: [ProfilePhase]
  package var gains: PIDGains
  package var limits: OutputLimits
  package var sensors: [ProfileSensor]
  package var controlIndex: Int
  package var doseIndex: Int
  package var plant: PlantConfiguration
  package var safety: SafetyConfiguration
  package var faults: [ProfileFault]
  package var durationNanoseconds: UInt64
  package var observeAfterTripNanoseconds: UInt64
  /// Loop times at which an operator presses reset, ascending.
  package var resetsNanoseconds: [UInt64]
  /// Whether the power stage measures its output.
  package var stageReadBack: Bool
  /// A recorded trace to replay instead of simulating (resolved against the profile's folder).
  package var replayPath: String? = nil
  /// The model-based controller's model (`controller.kind` `"model"`); `nil` for plain PID.
  package var modelControl: ModelControlSettings? = nil
  package var expect: Expectations
  /// The loosenings of the mode's absolute limits this scenario declares
  /// (``AbsoluteLimits``); empty for a treatment profile.
  package var relaxations: [Relaxation] = []
  /// The requirements and risk controls this scenario verifies (`verifies`),
  /// as written; `nil` when the profile has no `verifies` list.
  package var verifies: [TraceReference]? = nil

  /// Whether the controller drives the plant (the applicator surface), rather than a fixed open-loop boundary.
  package var isClosedLoop: Bool { plant.surface == .applicator }

  package var plan: TreatmentPlan {
    TreatmentPlan(mode: mode, window: window, phases: phases.map(\.phase))
  }
}

extension Profile {
  /// The profile's controller, supervisor and treatment around an applicator:
  /// the simulator, a recorded trace, or a rig.
  package func controlLoop<World: Applicator>(on applicator: World) -> ControlLoop<World> {
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
