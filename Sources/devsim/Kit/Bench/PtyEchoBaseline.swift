import ApplicatorLinux
import Foundation
import Glibc
import Synchronization

/// The floor under `bench serial`: request/reply round trips through a raw
/// pseudo-terminal with an echo thread and nothing else (no line framing,
/// no SCPI), measured at the same moment on the same machine.
package enum PtyEchoBaseline {
  /// Round trips per second of a 13-byte line echoed for `seconds`; `nil` when no pty can be had.
  package static func roundTripsPerSecond(seconds: Double) -> Double? {
    var master: Int32 = -1
    var slave: Int32 = -1
    guard openpty(&master, &slave, nil, nil, nil) == 0 else { return nil }
    var settings = termios()
    tcgetattr(slave, &settings)
    cfmakeraw(&settings)
    tcsetattr(slave, TCSANOW, &settings)
    let stop = Atomic<Bool>(false)
    let done = DispatchSemaphore(value: 0)
    let echoFD = master
    Thread.detachNewThread {
      var buffer = [UInt8](repeating: 0, count: 256)
      while !stop.load(ordering: .relaxed) {
        var poller = pollfd(fd: echoFD, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 10) > 0 else { continue }
        let count = buffer.withUnsafeMutableBytes { read(echoFD, $0.baseAddress, 256) }
        if count <= 0 { break }
        _ = buffer.withUnsafeBytes { write(echoFD, $0.baseAddress, count) }
      }
      done.signal()
    }
    let request = Array("MEAS:TEMP? 1\n".utf8)
    var reply = [UInt8](repeating: 0, count: 64)
    let start = MonotonicClock.rawNanoseconds()
    let end = start + UInt64(seconds * 1e9)
    var count = 0
    while MonotonicClock.rawNanoseconds() < end {
      _ = request.withUnsafeBytes { write(slave, $0.baseAddress, request.count) }
      var got = 0
      while got < request.count {
        var poller = pollfd(fd: slave, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 40) > 0 else { break }
        let n = reply.withUnsafeMutableBytes { read(slave, $0.baseAddress, 64) }
        if n <= 0 { break }
        got += n
      }
      count += 1
    }
    let elapsed = Double(MonotonicClock.rawNanoseconds() - start) * 1e-9
    stop.store(true, ordering: .relaxed)
    done.wait()
    close(slave)
    close(master)
    return Double(count) / elapsed
  }
}
