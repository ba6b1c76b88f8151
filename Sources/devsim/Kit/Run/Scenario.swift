import ThermalLoop

/// Runs what a profile describes: a simulated treatment, or, for a profile
/// with `replay`, a recorded trace fed open loop through its supervisor and
/// controller.
package enum Scenario {
  package static func run<Sink: TelemetrySink, Stop: StopRequest>(
    _ profile: Profile, seed: UInt64, pacing: Pacing, sink: inout Sink, stop: Stop
  ) throws(KitError) -> RunOutcome {
    guard let path = profile.replayPath else {
      return Simulation.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: stop)
    }
    let trace = try Trace.load(path, sensors: profile.sensors.map(\.name))
    return Replay.run(profile, trace: trace, sink: &sink, stop: stop)
  }
}
