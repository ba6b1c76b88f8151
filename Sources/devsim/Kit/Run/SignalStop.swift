import Foundation
import Synchronization
import ThermalLoop

/// A stop request raised by SIGINT, SIGTERM, SIGHUP (a closed terminal or
/// SSH session) or SIGQUIT: the loop puts the power stage in its safe state
/// and exits. (SIGPIPE is ignored for the whole process in `main.swift`;
/// SIGKILL cannot be caught: that is what the board's hardware watchdog is
/// for.)
package struct SignalStop: StopRequest {
  private static let requested = Atomic<Bool>(false)
  private static let received = Atomic<Int32>(0)

  /// The signals that stop the loop.
  package static let stopping = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

  /// Installs the handlers (async-signal-safe: they only store a flag) and
  /// unblocks the signals, which a parent may have left blocked (a process
  /// spawned from a thread of a test runner inherits its signal mask).
  package static func install() -> SignalStop {
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in stopping {
      signal(number) { number in
        SignalStop.received.store(number, ordering: .relaxed)
        SignalStop.requested.store(true, ordering: .relaxed)
      }
      sigaddset(&signals, number)
    }
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    return SignalStop()
  }

  package func isStopRequested() -> Bool { SignalStop.requested.load(ordering: .relaxed) }

  /// The last stopping signal received, `nil` before any.
  package static func lastSignal() -> Int32? {
    let number = received.load(ordering: .relaxed)
    return number == 0 ? nil : number
  }
}
