import ApplicatorHAL
import ApplicatorLinux
import Foundation

/// Serves the emulated rig over a byte stream in real time: lines are
/// answered as they arrive, the physics ticks at the profile's rate.
package struct RigServer {
  /// Where the rig is reached.
  package enum Link {
    case pty(PseudoTerminal)
    case tcp(TCPListener)
  }

  package var emulator: RigEmulator
  package let tickNanoseconds: UInt64
  /// Rig time per wall time (1: real time; more for tests with an emulated host at the same speed).
  package let speed: Double
  /// Emulated USB unplug after this much rig time, if set.
  package let unplugAfterNanoseconds: UInt64?
  package let log: (String) -> Void

  /// A server of `emulator` ticking every `tickNanoseconds` at `speed`, unplugging
  /// after `unplugAfterNanoseconds` if set, with each event passed to `log`.
  package init(
    emulator: RigEmulator, tickNanoseconds: UInt64, speed: Double,
    unplugAfterNanoseconds: UInt64?, log: @escaping (String) -> Void
  ) {
    self.emulator = emulator
    self.emulator.speed = speed > 0 ? speed : 1
    self.tickNanoseconds = tickNanoseconds
    self.speed = speed
    self.unplugAfterNanoseconds = unplugAfterNanoseconds
    self.log = log
  }

  /// Runs until `stop` says so. A pty keeps running after an unplug (the
  /// physics and the lease go on without a host); a TCP link waits for the
  /// next client.
  package mutating func serve(_ link: Link, stop: () -> Bool) {
    let start = MonotonicClock.rawNanoseconds()
    var nextTick: UInt64 = 0
    var stream: ByteStream? = nil
    var unplugged = false
    if case .pty(let pty) = link { stream = pty.master }
    let speed = self.speed > 0 ? self.speed : 1
    func rigTime() -> UInt64 { UInt64(Double(MonotonicClock.rawNanoseconds() - start) * speed) }
    func wallDeadline(_ rig: UInt64) -> UInt64 { start + UInt64(Double(rig) / speed) }
    while !stop() {
      let now = rigTime()
      if let after = unplugAfterNanoseconds, now >= after, !unplugged {
        emulator.unplugRequested = true
      }
      if now >= nextTick {
        emulator.tick(nowNanoseconds: now)
        nextTick = max(nextTick + tickNanoseconds, now)
        flushEvents(now)
        if emulator.unplugRequested && !unplugged {
          unplugged = true
          emulator.unplugRequested = false
          log("t=\(Summary.seconds(now)) unplugged: the link is closed, the rig keeps running")
          switch link {
          case .pty(let pty): pty.close()
          case .tcp: stream?.close()
          }
          stream = nil
        }
        continue
      }
      let deadline = wallDeadline(nextTick)
      guard let current = stream else {
        if case .tcp(let listener) = link, !unplugged {
          if let accepted = try? listener.accept(deadlineNanoseconds: deadline) {
            stream = accepted
            log("t=\(Summary.seconds(now)) host connected")
          }
        } else {
          sleepUntil(deadline)
        }
        continue
      }
      do throws(FaultKind) {
        let line = try current.readLine(maximumBytes: 256, deadlineNanoseconds: deadline)
        emulator.advanceClockOnly(rigTime())
        if let reply = emulator.handle(line) {
          try current.write(
            Array((reply + "\n").utf8),
            deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 100_000_000)
        }
      } catch {
        switch error {
        case .timedOut: break
        case .outOfRange: emulator.overrun()
        default:
          if case .tcp = link {
            current.close()
            stream = nil
            log("t=\(Summary.seconds(now)) host disconnected")
          } else {
            sleepUntil(deadline)
          }
        }
      }
    }
    switch link {
    case .pty(let pty): pty.close()
    case .tcp(let listener):
      stream?.close()
      listener.close()
    }
  }

  private mutating func flushEvents(_ now: UInt64) {
    for event in emulator.events { log("t=\(Summary.seconds(now)) \(event)") }
    emulator.events.removeAll()
  }

  private func sleepUntil(_ deadline: UInt64) {
    var target = timespec(
      tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
  }
}
