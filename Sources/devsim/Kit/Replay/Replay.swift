import ApplicatorLinux
import ThermalLoop

/// Feeds a recorded trace, open loop, through a profile's supervisor and
/// controller, and reports the trips and commands they would have produced.
package enum Replay {
  package static func run<Sink: TelemetrySink>(_ profile: Profile, trace: Trace, sink: inout Sink)
    -> RunOutcome
  {
    let started = MonotonicClock.rawNanoseconds()
    var loop = profile.controlLoop(
      on: TraceApplicator(
        trace: trace, sensorCount: profile.sensors.count, commandRange: profile.mode.commandRange))
    var end = RunEnd.completed
    var last: UInt64 = 0
    var ticks: UInt64 = 0
    for row in trace.rows {
      let now = row.nanoseconds
      last = now
      sink.consume(loop.tick(nowNanoseconds: now))
      ticks += 1
      if let trip = loop.trip, now >= trip.detectedNanoseconds + profile.observeAfterTripNanoseconds
      {
        end = .tripped
        break
      }
    }
    loop.finish(nowNanoseconds: last)
    sink.consume(loop.tick(nowNanoseconds: last))
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds, simulatedNanoseconds: last,
      startedWallNanoseconds: started)
    outcome.ticks = ticks
    outcome.startNanoseconds = trace.rows.first?.nanoseconds ?? 0
    outcome.isSimulated = false
    return outcome
  }
}
