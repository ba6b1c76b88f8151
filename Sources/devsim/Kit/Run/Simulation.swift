import ApplicatorHAL
import ApplicatorLinux
import ApplicatorSimulation
import Foundation
import ThermalLoop

/// How fast a simulation runs against the wall clock.
package enum Pacing: Equatable {
  /// As fast as the CPU allows, on a virtual clock.
  case maximum
  /// N× real time on the Linux monotonic clock (1 is real time).
  case factor(Double)
}

/// Everything a finished run reports: simulated, replayed, or on a rig.
package struct RunOutcome {
  package var end: RunEnd
  /// The trips of the run, in order (the first four).
  package var trips: [TripRecord]
  /// Per trip, the check's bound from the onset of its condition to detection, ns.
  package var reactionBounds: [UInt64]
  package var metrics: TreatmentMetrics
  /// Loop time covered, ns.
  package var simulatedNanoseconds: UInt64
  package var wallSeconds: Double
  package var ticks: UInt64 = 0
  package var overruns: UInt64 = 0
  package var skippedPeriods: UInt64 = 0
  /// The lateness of every wake-up.
  package var lateness = LatenessHistogram()
  /// Whether the loop ran against the wall clock (lateness means something).
  package var isWallClock = false
  /// The scheduling and memory policy of a wall-clock run's control thread.
  package var realTimePolicy: RealTimePolicy? = nil
  /// Loop time per wall time of a wall-clock run (lateness is in loop time).
  package var clockSpeed = 1.0
  /// Operator resets: when, and whether the latch cleared.
  package var resets: [(nanoseconds: UInt64, accepted: Bool)] = []
  /// When each scheduled fault was applied (`nil`: its condition never came), in profile order.
  package var faultInjections: [UInt64?] = []
  package var firstInjectionNanoseconds: UInt64? = nil
  /// Whether the plant was the simulator (dose at depth and freeze events exist only there).
  package var isSimulated = true
  /// When the run started, ns: 0 for a simulation, the first row's time for a replay.
  package var startNanoseconds: UInt64 = 0
  /// Dose at depth, from the column's own temperatures (simulations only).
  package var depthDose = DepthDose()
  /// When the first freeze event happened, ns (simulations only).
  package var freezeEventNanoseconds: UInt64? = nil

  /// What every run reports, read off its loop: trips with their bounds and the metrics.
  package init<World: Applicator>(
    loop: ControlLoop<World>, end: RunEnd, tickNanoseconds: UInt64,
    simulatedNanoseconds: UInt64, startedWallNanoseconds: UInt64
  ) {
    self.end = end
    trips = (0..<min(loop.tripCount, 4)).map { loop.tripLog[$0] }
    reactionBounds = trips.map {
      loop.supervisor.reactionBoundNanoseconds(for: $0, tickNanoseconds: tickNanoseconds)
    }
    metrics = loop.metrics
    self.simulatedNanoseconds = simulatedNanoseconds
    wallSeconds = Double(MonotonicClock.rawNanoseconds() - startedWallNanoseconds) * 1e-9
  }

  /// Takes the runner's tick counts and its operator resets.
  package mutating func count<Clock: LoopClock>(_ runner: LoopRunner<Clock>) {
    ticks = runner.ticks
    overruns = runner.overruns
    skippedPeriods = runner.skippedPeriods
    lateness = runner.lateness
    isWallClock = Clock.self != VirtualClock.self
    resets = (0..<min(runner.resetCount, 4)).map { runner.resetAttempts[$0] }
  }

  /// Takes what only the simulated plant knows: when faults were injected,
  /// the dose over depth and the first freezing event.
  package mutating func record(_ plant: SimulatedApplicator) {
    faultInjections = plant.faultInjectionTimes
    firstInjectionNanoseconds = plant.firstInjectionNanoseconds
    depthDose = plant.depthDose
    freezeEventNanoseconds = plant.firstFreezeEventNanoseconds
  }

  /// Where reaction times count from: the first injected fault, else the start.
  package var reactionOriginNanoseconds: UInt64 { firstInjectionNanoseconds ?? startNanoseconds }
  /// The first trip, if any.
  package var trip: TripRecord? { trips.first }
}

/// Runs a profile against the simulated applicator.
package enum Simulation {
  /// The simulated applicator a profile describes: its plant, probes and faults.
  package static func makeApplicator(_ profile: Profile, seed: UInt64) -> SimulatedApplicator {
    SimulatedApplicator(
      plant: profile.plant, sensors: profile.sensors.map(\.model),
      faults: profile.faults.map(\.fault), seed: seed, stageReadBack: profile.stageReadBack)
  }

  /// Builds the loop a profile describes, on the simulated applicator.
  package static func makeLoop(_ profile: Profile, seed: UInt64) -> ControlLoop<SimulatedApplicator>
  {
    profile.controlLoop(on: makeApplicator(profile, seed: seed))
  }

  /// Runs the profile to its end, a trip plus the observation time, or a stop request.
  package static func run<Sink: TelemetrySink, Stop: StopRequest>(
    _ profile: Profile, seed: UInt64, pacing: Pacing, sink: inout Sink, stop: Stop
  ) -> RunOutcome {
    switch pacing {
    case .maximum:
      return run(profile, seed: seed, clock: VirtualClock(), sink: &sink, stop: stop)
    case .factor(let speed):
      return run(profile, seed: seed, clock: MonotonicClock(speed: speed), sink: &sink, stop: stop)
    }
  }

  private static func run<Clock: LoopClock, Sink: TelemetrySink, Stop: StopRequest>(
    _ profile: Profile, seed: UInt64, clock: Clock, sink: inout Sink, stop: Stop
  ) -> RunOutcome {
    var loop = makeLoop(profile, seed: seed)
    let started = MonotonicClock.rawNanoseconds()
    var runner = LoopRunner(clock: clock, periodNanoseconds: profile.tickNanoseconds)
    let end = runner.run(
      &loop, durationNanoseconds: profile.durationNanoseconds,
      observeAfterTripNanoseconds: profile.observeAfterTripNanoseconds,
      resetsAt: profile.resetsNanoseconds, sink: &sink, stop: stop)
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds,
      simulatedNanoseconds: min(runner.clock.nowNanoseconds(), profile.durationNanoseconds),
      startedWallNanoseconds: started)
    outcome.count(runner)
    outcome.record(loop.applicator)
    return outcome
  }
}
