import ApplicatorLinux
import ApplicatorSimulation
import ThermalLoop

/// Feeds a recorded trace, open loop, through a profile's supervisor and
/// controller, and reports the trips and commands they would have produced.
///
/// The loop runner drives it as it drives every run, one tick at each
/// recorded row's time, on a virtual clock: the stop request, the trip's
/// observation time and the safe end are the runner's. The controller
/// starts from rest at the trace's first row (a zero integral and no
/// derivative history): the recording's own controller state is not in a
/// trace, so a trace that starts mid-treatment replays commands that differ
/// from the recorded ones until the integral has settled.
package enum Replay {
  package static func run<Sink: TelemetrySink, Stop: StopRequest>(
    _ profile: Profile, trace: Trace, sink: inout Sink, stop: Stop
  ) -> RunOutcome {
    let started = MonotonicClock.rawNanoseconds()
    var loop = profile.controlLoop(
      on: TraceApplicator(
        trace: trace, sensorCount: profile.sensors.count, commandRange: profile.mode.commandRange))
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: profile.tickNanoseconds)
    let end = runner.run(
      &loop, tickTimes: trace.rows.lazy.map(\.nanoseconds),
      observeAfterTripNanoseconds: profile.observeAfterTripNanoseconds, sink: &sink, stop: stop)
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds,
      simulatedNanoseconds: runner.clock.nowNanoseconds(), startedWallNanoseconds: started)
    outcome.count(runner)
    outcome.startNanoseconds = trace.rows.first?.nanoseconds ?? 0
    outcome.isSimulated = false
    return outcome
  }
}
