import ApplicatorHAL
import Foundation
import ThermalLoop

/// How fast a simulation runs against the wall clock.
enum Pacing: Equatable {
  /// As fast as the CPU allows, on a virtual clock.
  case maximum
  /// N× real time on the Linux monotonic clock (1 is real time).
  case factor(Double)
}

/// Everything a finished simulated run reports.
struct RunOutcome {
  var end: RunEnd
  var trip: TripRecord?
  var firstInjectionNanoseconds: UInt64?
  var metrics: TreatmentMetrics
  var simulatedNanoseconds: UInt64
  var wallSeconds: Double
  var ticks: UInt64
  var overruns: UInt64
  var skippedPeriods: UInt64
  /// The simulated power stage's own record of what it last received.
  var stageReceived: ReceivedDrive
  /// Dose at depth, from the column's own temperatures.
  var depthDose: DepthDose
  /// When the first freeze event happened, ns.
  var freezeEventNanoseconds: UInt64?
}

/// Runs a profile against the simulated applicator.
enum Simulation {
  /// Builds the loop a profile describes, on the simulated applicator.
  static func makeLoop(_ profile: Profile, seed: UInt64) -> ControlLoop<SimulatedApplicator> {
    let plan = profile.plan
    let applicator = SimulatedApplicator(
      plant: profile.plant, sensors: profile.sensors.map(\.model),
      faults: profile.faults.map(\.fault), seed: seed)
    let supervisor = SafetySupervisor(
      configuration: profile.safety, plan: plan, sensors: profile.sensors.map(\.descriptor),
      controlIndex: profile.controlIndex)
    return ControlLoop(
      applicator: applicator,
      controller: PIDController(gains: profile.gains, limits: profile.limits),
      supervisor: supervisor, plan: plan, controlIndex: profile.controlIndex,
      doseSensorIndex: profile.doseIndex, isClosedLoop: profile.isClosedLoop)
  }

  /// Runs the profile to its end, a trip plus the observation time, or a stop request.
  static func run<Sink: TelemetrySink, Stop: StopRequest>(
    _ profile: Profile, seed: UInt64, pacing: Pacing, sink: inout Sink, stop: Stop
  ) -> RunOutcome {
    var loop = makeLoop(profile, seed: seed)
    let started = MonotonicClock.rawNanoseconds()
    let end: RunEnd
    let counters: (UInt64, UInt64, UInt64, UInt64)
    switch pacing {
    case .maximum:
      var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: profile.tickNanoseconds)
      end = runner.run(
        &loop, durationNanoseconds: profile.durationNanoseconds,
        observeAfterTripNanoseconds: profile.observeAfterTripNanoseconds, sink: &sink, stop: stop)
      counters = (
        runner.ticks, runner.overruns, runner.skippedPeriods, runner.clock.nowNanoseconds()
      )
    case .factor(let speed):
      var runner = LoopRunner(
        clock: MonotonicClock(speed: speed), periodNanoseconds: profile.tickNanoseconds)
      end = runner.run(
        &loop, durationNanoseconds: profile.durationNanoseconds,
        observeAfterTripNanoseconds: profile.observeAfterTripNanoseconds, sink: &sink, stop: stop)
      counters = (
        runner.ticks, runner.overruns, runner.skippedPeriods, runner.clock.nowNanoseconds()
      )
    }
    let wall = Double(MonotonicClock.rawNanoseconds() - started) * 1e-9
    return RunOutcome(
      end: end, trip: loop.trip,
      firstInjectionNanoseconds: loop.applicator.firstInjectionNanoseconds,
      metrics: loop.metrics, simulatedNanoseconds: min(counters.3, profile.durationNanoseconds),
      wallSeconds: wall, ticks: counters.0, overruns: counters.1, skippedPeriods: counters.2,
      stageReceived: loop.applicator.powerStage.received, depthDose: loop.applicator.depthDose,
      freezeEventNanoseconds: loop.applicator.firstFreezeEventNanoseconds)
  }
}
