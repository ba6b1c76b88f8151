import ApplicatorHAL
import ApplicatorLinux
import Foundation
import InstrumentProtocols

/// Serves an emulated MeCom TEC over a byte stream in real time: frames are answered as
/// they arrive (through ``MeComResponder``), the physics ticks at the given rate.
package struct MeComServer {
  package var emulator: MeComEmulator
  /// The device address the emulator answers to.
  package let address: UInt8
  package let tickNanoseconds: UInt64
  /// Emulated USB unplug after this much time, if set.
  package let unplugAfterNanoseconds: UInt64?
  package let log: (String) -> Void

  /// A server of `emulator` at `address`, ticking every `tickNanoseconds`, unplugging after
  /// `unplugAfterNanoseconds` if set, with each event passed to `log`.
  package init(
    emulator: MeComEmulator, address: UInt8, tickNanoseconds: UInt64,
    unplugAfterNanoseconds: UInt64?, log: @escaping (String) -> Void
  ) {
    self.emulator = emulator
    self.address = address
    self.tickNanoseconds = max(tickNanoseconds, 1_000_000)
    self.unplugAfterNanoseconds = unplugAfterNanoseconds
    self.log = log
  }

  /// Runs until `stop` says so. A pty keeps running after an unplug (the physics and the
  /// watchdog go on without a host); a TCP link waits for the next client.
  package mutating func serve(_ link: RigServer.Link, stop: () -> Bool) {
    let start = MonotonicClock.rawNanoseconds()
    var nextTick: UInt64 = 0
    var stream: ByteStream? = nil
    var unplugged = false
    var assembler = MeComFrameAssembler(start: MeComFrame.requestStart)
    if case .pty(let pty) = link { stream = pty.master }
    func elapsed() -> UInt64 { MonotonicClock.rawNanoseconds() - start }
    while !stop() {
      let now = elapsed()
      if now >= nextTick {
        emulator.tick(nowNanoseconds: now)
        nextTick = max(nextTick + tickNanoseconds, now)
        for event in emulator.events { log("t=\(Summary.seconds(now)) \(event)") }
        emulator.events.removeAll()
        if let after = unplugAfterNanoseconds, now >= after, !unplugged {
          unplugged = true
          log(
            "t=\(Summary.seconds(now)) unplugged: the link is closed, the instrument keeps running")
          switch link {
          case .pty(let pty): pty.close()
          case .tcp: stream?.close()
          }
          stream = nil
        }
        continue
      }
      let deadline = start + nextTick
      guard let current = stream else {
        if case .tcp(let listener) = link, !unplugged {
          if let accepted = try? listener.accept(deadlineNanoseconds: deadline) {
            stream = accepted
            assembler = MeComFrameAssembler(start: MeComFrame.requestStart)
            log("t=\(Summary.seconds(now)) host connected")
          }
        } else {
          MeComServer.sleep(until: deadline)
        }
        continue
      }
      do throws(FaultKind) {
        let bytes = try current.readBytes(deadlineNanoseconds: deadline)
        for byte in bytes {
          guard case .frame(let frame) = assembler.take(byte) else { continue }
          guard
            let reply = MeComResponder.reply(
              to: frame, deviceAddress: address, parameters: &emulator)
          else { continue }
          emulator.noteFrame(nowNanoseconds: elapsed())
          try current.write(
            reply, deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 100_000_000)
        }
      } catch {
        if error != .timedOut {
          if case .tcp = link {
            current.close()
            stream = nil
            log("t=\(Summary.seconds(now)) host disconnected")
          } else {
            MeComServer.sleep(until: deadline)
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

  private static func sleep(until deadline: UInt64) {
    var target = timespec(
      tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
  }
}
