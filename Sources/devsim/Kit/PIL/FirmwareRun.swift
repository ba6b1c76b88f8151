import ApplicatorHAL
import ApplicatorLinux
import ApplicatorSimulation
import ThermalLoop

/// What a firmware run measured of the image.
package struct FirmwareFigures {
  /// Ticks the firmware answered.
  package var ticks: Int
  /// Each tick's cost in SysTick counts (40 instructions under `-icount shift=0`).
  package var tickCosts: [UInt32]
  /// The painted stack's high-water mark, bytes.
  package var stackHighWaterBytes: UInt32
  /// The first tick whose firmware answer differed from the host build's, described.
  package var divergence: String?
  /// Wall time of the lockstep run, s.
  package var wallSeconds: Double
}

/// Runs a profile closed loop with the firmware image in the loop: the
/// simulated plant (the profile's plant, sensors, faults and seed, as
/// `devsim run` builds it) advances under the firmware's commands; the
/// telemetry and summary are a simulated run's, with the firmware's
/// command, enable, state and trip in every record.
package enum FirmwareRun {
  /// Refuses what the link cannot carry: a recorded trace (`replay`) and
  /// operator resets.
  package static func requireSupported(_ profile: Profile) throws(KitError) {
    if profile.replayPath != nil {
      throw .data(
        DataError(
          "a firmware run drives the simulated plant: a profile with \"replay\" cannot run in the loop"
        ))
    }
    if !profile.resetsNanoseconds.isEmpty {
      throw .data(
        DataError(
          "operator resets are not carried by the firmware link: a profile with \"resets\" cannot run in the loop"
        ))
    }
  }

  /// Runs `profile` with the firmware on `link` to its end, or a trip (as
  /// the firmware reports it) plus the observation time; ends the
  /// firmware's run and QEMU.
  package static func run<Sink: TelemetrySink>(
    _ profile: Profile, seed: UInt64, link: FirmwareLink, sink: inout Sink
  ) throws(KitError) -> (RunOutcome, FirmwareFigures) {
    try requireSupported(profile)
    let session = FirmwareSession(link: link)
    let plant = Simulation.makeApplicator(profile, seed: seed)
    var loop = profile.controlLoop(on: FirmwareApplicator(plant: plant, session: session))
    let started = MonotonicClock.rawNanoseconds()
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: profile.tickNanoseconds)
    var telemetry = FirmwareTelemetry(next: sink, session: session)
    var end = RunEnd.completed
    runner.begin()
    while runner.step(
      &loop, untilNanoseconds: profile.durationNanoseconds, sink: &telemetry, stop: NeverStop())
      != nil
    {
      if let failure = session.failure {
        _ = try? link.close()
        throw failure
      }
      if let trip = session.firstTripNanoseconds,
        runner.nowNanoseconds >= trip + profile.observeAfterTripNanoseconds
      {
        end = .tripped
        break
      }
    }
    do throws(KitError) {
      try session.end(atNanoseconds: runner.clock.nowNanoseconds())
    } catch {
      _ = try? link.close()
      throw error
    }
    runner.finish(&loop, sink: &telemetry)
    sink = telemetry.next
    if let failure = session.failure {
      _ = try? link.close()
      throw failure
    }
    let status = try link.close()
    guard status == 0 else {
      throw .device(
        DeviceError(
          "the firmware image did not end cleanly after the run (QEMU \(status.map { "exit status \($0)" } ?? "had to be stopped"))"
        ))
    }
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds,
      simulatedNanoseconds: min(runner.clock.nowNanoseconds(), profile.durationNanoseconds),
      startedWallNanoseconds: started)
    outcome.count(runner)
    outcome.record(loop.applicator.plant)
    let figures = FirmwareFigures(
      ticks: session.tickCosts.count, tickCosts: session.tickCosts,
      stackHighWaterBytes: session.stackHighWaterBytes, divergence: session.divergence,
      wallSeconds: outcome.wallSeconds)
    return (outcome, figures)
  }
}
