import ApplicatorHAL
import ApplicatorLinux
import ThermalLoop

/// Runs a profile's loop in real time against a serial-attached (or
/// TCP-shared) rig instead of the simulator.
package enum RigRun {
  /// The lease the host asks for at `speed`, s of rig time: the default
  /// lease in wall time (a rig run N× faster gets N× the rig time, so a
  /// loaded host is not cut off sooner than at real time), at most 60 s.
  package static func leaseSeconds(speed: Double) -> Double {
    min(RigApplicator.defaultLeaseSeconds * max(speed, 1), 60)
  }

  /// Opens `device` (a tty path or `tcp://host:port`) and connects to the rig
  /// on it: the handshake first (queries only), then the setup.
  ///
  /// A rig that is not the one the profile is for (another protocol
  /// version, mode or speed, a sensor without a channel of its name) is
  /// refused before any power command is sent, as bad data (exit 65) naming
  /// both sides; a rig that cannot be opened or does not answer is an I/O
  /// failure (74).
  ///
  /// With an explicit channel `map` (sensor name to 1-based channel) a rig
  /// that gives no handshake runs on the map alone, and `verified` is false;
  /// one that does is checked as without a map, and must agree with it.
  package static func connect(
    _ device: String, profile: Profile, speed: Double, map: [String: Int]? = nil
  ) throws(KitError) -> (applicator: RigApplicator, verified: Bool) {
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
    let link = RigLink(
      stream: stream, replyTimeoutNanoseconds: RigLink.connectReplyTimeoutNanoseconds)
    let identity: RigIdentity
    do throws(FaultKind) {
      identity = try RigHandshake.query(link)
    } catch {
      link.close()
      throw KitError.deviceFailure("\(device): no rig answers (\(error.name))")
    }
    let channels: [Int]
    let verified: Bool
    let names = profile.sensors.map(\.name)
    let range = profile.mode.commandRange
    let matched =
      map.map {
        RigHandshake.channels(of: names, map: $0, rig: identity, commandRange: range, speed: speed)
      }
      ?? RigHandshake.channels(of: names, rig: identity, commandRange: range, speed: speed).map {
        ($0, true)
      }
    switch matched {
    case .success(let found): (channels, verified) = found
    case .failure(let mismatch):
      link.close()
      throw KitError.invalid(
        "\(device): the rig (\(identity.identity)) does not match \(profile.name): "
          + "\(mismatch.message); nothing was driven")
    }
    do throws(FaultKind) {
      let applicator = try RigApplicator(
        link: link, channels: channels, commandRange: profile.mode.commandRange,
        leaseSeconds: leaseSeconds(speed: speed))
      link.replyTimeoutNanoseconds = RigLink.loopReplyTimeoutNanoseconds
      return (applicator, verified)
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
    _ profile: Profile, device: String, speed: Double, map: [String: Int]? = nil,
    sink: inout Sink, stop: SignalStop
  ) throws(KitError) -> (RunOutcome, RigEnding) {
    let (applicator, verified) = try connect(device, profile: profile, speed: speed, map: map)
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
    return (
      outcome,
      RigEnding(
        lost: link.isLost, leaseExpiries: link.leaseExpiries,
        leaseWallSeconds: leaseSeconds(speed: speed) / max(speed, 1e-9), verified: verified)
    )
  }

  /// What the host's console must say about how a rig run ended.
  package struct RigEnding {
    /// The link went away: the safe state could not be sent.
    package var lost: Bool
    /// Lease expiries the rig reported (status bit 6).
    package var leaseExpiries: Int
    /// The lease in wall time, s: the bound within which the rig cuts its
    /// own output after the last power command.
    package var leaseWallSeconds: Double
    /// Whether the handshake verified the rig (false: it gave none, and
    /// the channels came from an explicit map).
    package var verified: Bool

    /// An ending from its parts.
    package init(lost: Bool, leaseExpiries: Int, leaseWallSeconds: Double, verified: Bool) {
      self.lost = lost
      self.leaseExpiries = leaseExpiries
      self.leaseWallSeconds = leaseWallSeconds
      self.verified = verified
    }

    /// `rig    lease …` for the summary: the lease, and every expiry.
    package var summaryLine: String {
      let lease = Summary.seconds(UInt64(leaseWallSeconds * 1e9))
      let unverified =
        verified ? "" : "rig    not verified: no handshake, channels from --rig-channels\n"
      guard leaseExpiries > 0 else {
        return unverified + "rig    lease \(lease), no lease expiry reported\n"
      }
      return unverified
        + "rig    lease \(lease), \(leaseExpiries) lease expir\(leaseExpiries == 1 ? "y" : "ies") "
        + "reported by the rig: its output is off until OUTP ON, which this host never sent again\n"
    }

    /// The ending when the safe state could not reach the rig: what cuts the
    /// output instead, and within what bound.
    package func lostMessage(device: String, trip: String) -> String {
      "the rig on \(device) went away\(trip); the safe state could not be sent to it: "
        + "the rig's own lease cuts its output within "
        + "\(Summary.seconds(UInt64(leaseWallSeconds * 1e9))) of the last power command "
        + "(not confirmed by this host)"
    }
  }
}
