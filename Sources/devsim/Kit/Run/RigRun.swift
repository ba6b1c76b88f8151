import ApplicatorHAL
import ApplicatorLinux
import ThermalLoop

/// Runs a profile's loop in real time against a serial-attached (or
/// TCP-shared) rig instead of the simulator.
package enum RigRun {
  /// Opens `device` (a tty path or `tcp://host:port`) and connects to the rig on it.
  package static func connect(_ device: String, profile: Profile) throws(KitError)
    -> RigApplicator
  {
    let stream: ByteStream
    do throws(SerialOpenError) {
      if device.hasPrefix("tcp://") {
        stream = try TCPStream(url: device, connectTimeoutNanoseconds: 2_000_000_000)
      } else {
        stream = try SerialPort(path: device)
      }
    } catch {
      throw KitError.deviceFailure(error.message)
    }
    let link = RigLink(stream: stream)
    do throws(FaultKind) {
      return try RigApplicator(
        link: link, sensorCount: profile.sensors.count, commandRange: profile.mode.commandRange)
    } catch {
      link.close()
      throw KitError.deviceFailure("\(device): no rig answers (\(error.name))")
    }
  }

  /// Runs the loop against the rig until the profile's duration, a trip, or
  /// a stop request. A real device is not observed after a trip: the loop
  /// stops once the safe state is written.
  ///
  /// - Parameter speed: loop time per wall time (1 for a real rig; N against
  ///   an emulated rig run at the same speed).
  package static func run<Sink: TelemetrySink>(
    _ profile: Profile, device: String, speed: Double, sink: inout Sink, stop: SignalStop
  ) throws(KitError) -> (RunOutcome, lost: Bool) {
    let applicator = try connect(device, profile: profile)
    let link = applicator.link
    var loop = profile.controlLoop(on: applicator)
    let started = MonotonicClock.rawNanoseconds()
    var runner = LoopRunner(
      clock: MonotonicClock(speed: speed), periodNanoseconds: profile.tickNanoseconds)
    let end = runner.run(
      &loop, durationNanoseconds: profile.durationNanoseconds, observeAfterTripNanoseconds: 0,
      sink: &sink, stop: stop)
    link.close()
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds,
      simulatedNanoseconds: runner.clock.nowNanoseconds(), startedWallNanoseconds: started)
    outcome.count(runner)
    outcome.isSimulated = false
    return (outcome, link.isLost)
  }
}
