import ApplicatorHAL
import ApplicatorLinux
import ThermalLoop

/// Runs a profile's loop in real time against a Linux board described by a
/// board file, as ``RigRun`` does for a serial rig.
package enum BoardRun {
  /// The profile with each sensor's period and resolution taken from the
  /// board where the board knows them (hwmon `update_interval`, the board
  /// file's `period` and `resolution`), so staleness and stuck-ness are
  /// judged on the real sensor's own period and resolution.
  package static func adapt(_ profile: Profile, to inputs: BoardInputs) -> Profile {
    var adapted = profile
    for index in adapted.sensors.indices where index < inputs.sensors.count {
      let (entry, sensor) = inputs.sensors[index]
      if sensor.periodNanoseconds > 0 {
        adapted.sensors[index].descriptor.periodNanoseconds = sensor.periodNanoseconds
      }
      if let resolution = entry.resolutionCelsius {
        adapted.sensors[index].descriptor.resolutionCelsius = resolution
      }
    }
    return adapted
  }

  /// Opens the board (a bad board file is refused before any output is
  /// touched), runs the loop until the profile's duration, a trip or a stop
  /// request, and puts the stage in its safe state before returning, on
  /// every path.
  ///
  /// Before the loop starts, `warn` gets one line per cut or interlock the
  /// board file declares missing (``BoardDescription/warnings``) and the
  /// watchdog's timeout as the device reports it.
  ///
  /// - Returns: the outcome, and the safe-off's error at the end, if any.
  package static func run<Sink: TelemetrySink>(
    _ profile: Profile, board: BoardDescription, io: any BoardIO, sink: inout Sink,
    stop: some StopRequest,
    warn: (String) -> Void
  ) throws(KitError) -> (RunOutcome, closeFault: FaultKind?, keepAliveFault: FaultKind?) {
    let expected = profile.mode.commandRange
    guard board.stage.kind.commandRange == expected else {
      throw KitError.invalid(
        "\(board.stage.place.description): a \(expected == .bipolar ? "cryolipolysis profile needs a TEC stage (tec-direction or tec-dual-pwm)" : "laser profile needs a laser stage") for this profile's mode"
      )
    }
    let opener = BoardOpener(board: board, io: io)
    let inputs = try opener.openInputs(only: profile.sensors.map(\.name))
    let applicator = try opener.openApplicator(inputs)
    for warning in board.warnings { warn("WARNING: \(warning)\n") }
    if let watchdog = applicator.watchdog {
      let timeout = watchdog.timeoutSeconds.map { "\($0) s" } ?? "not reported by the device"
      warn("watchdog \(watchdog.path): armed, timeout \(timeout)\n")
    }
    let adapted = adapt(profile, to: inputs)
    var loop = adapted.controlLoop(on: applicator)
    let started = MonotonicClock.rawNanoseconds()
    var runner = LoopRunner(clock: MonotonicClock(), periodNanoseconds: profile.tickNanoseconds)
    let end = runner.run(
      &loop, durationNanoseconds: profile.durationNanoseconds, observeAfterTripNanoseconds: 0,
      sink: &sink, stop: stop)
    let now = runner.clock.nowNanoseconds()
    let closeFault = loop.applicator.close(nowNanoseconds: now)
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds, simulatedNanoseconds: now,
      startedWallNanoseconds: started)
    outcome.count(runner)
    outcome.isSimulated = false
    return (outcome, closeFault, loop.applicator.keepAliveFault)
  }
}
