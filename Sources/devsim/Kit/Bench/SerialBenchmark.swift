import ApplicatorHAL
import ApplicatorLinux
import Foundation
import Synchronization
import ThermalLoop

/// The fixture of `devsim bench serial`: an emulated rig served on a
/// pseudo-terminal by a thread of this process, and a host on the slave side.
package final class SerialBenchmark: @unchecked Sendable {
  private let pty: PseudoTerminal
  private let stopServing = Atomic<Bool>(false)
  private let served = DispatchGroup()
  package let profile: Profile

  /// Starts the rig on a new pty, with the default rig profile at `tickHz`.
  package init(tickHz: Double) throws(KitError) {
    var profile: Profile
    do {
      profile = try RigEmulator.defaultProfile()
    } catch {
      throw KitError.invalid("the default rig profile: \(error)")
    }
    do throws(SerialOpenError) {
      pty = try PseudoTerminal()
    } catch {
      throw KitError.deviceFailure(error.message)
    }
    profile.tickNanoseconds = UInt64(1e9 / tickHz)
    self.profile = profile
    served.enter()
    Thread.detachNewThread { [self] in
      _ = SerialBenchmark.raisePriority()
      var server = RigServer(
        emulator: RigEmulator(profile: self.profile), tickNanoseconds: 10_000_000, speed: 1,
        unplugAfterNanoseconds: nil, log: { _ in })
      server.serve(.pty(pty), stop: { self.stopServing.load(ordering: .relaxed) })
      served.leave()
    }
  }

  /// Puts the calling thread under SCHED_FIFO at priority 50 when the
  /// process may (root, or CAP_SYS_NICE); returns whether it did.
  package static func raisePriority() -> Bool {
    var parameters = sched_param()
    parameters.sched_priority = 50
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters) == 0
  }

  /// The host's side of the link.
  package var devicePath: String { pty.slavePath }

  /// Stops the rig's thread.
  package func stop() {
    stopServing.store(true, ordering: .relaxed)
    served.wait()
  }

  /// Query round trips (`MEAS:TEMP? 1`) per second over `seconds`.
  package func roundTrips(seconds: Double) throws(KitError) -> (count: Int, perSecond: Double) {
    let port: SerialPort
    do throws(SerialOpenError) {
      port = try SerialPort(path: devicePath)
    } catch {
      throw KitError.deviceFailure(error.message)
    }
    defer { port.close() }
    let link = RigLink(stream: port, replyTimeoutNanoseconds: 1_000_000_000)
    let start = MonotonicClock.rawNanoseconds()
    let end = start + UInt64(seconds * 1e9)
    var count = 0
    while MonotonicClock.rawNanoseconds() < end {
      do throws(FaultKind) {
        _ = try link.query("MEAS:TEMP? 1")
      } catch {
        throw KitError.deviceFailure("round trip \(count + 1) failed: \(error.name)")
      }
      count += 1
    }
    let elapsed = Double(MonotonicClock.rawNanoseconds() - start) * 1e-9
    return (count, Double(count) / elapsed)
  }

  /// The control loop against the rig at the profile's rate for `seconds`
  /// of wall time: ticks, overruns and skipped periods, worst lateness.
  package func loop(seconds: Double) throws(KitError) -> LoopRunner<MonotonicClock> {
    var timed = profile
    timed.durationNanoseconds = UInt64(seconds * 1e9)
    let applicator = try RigRun.connect(devicePath, profile: timed, speed: 1).applicator
    var loop = timed.controlLoop(on: applicator)
    var runner = LoopRunner(
      clock: MonotonicClock(speed: 1), periodNanoseconds: timed.tickNanoseconds)
    var sink = DiscardingSink()
    _ = runner.run(
      &loop, durationNanoseconds: timed.durationNanoseconds, observeAfterTripNanoseconds: 0,
      sink: &sink, stop: NeverStop())
    applicator.link.close()
    return runner
  }
}
