import Foundation
import Synchronization
import ThermalLoop

/// A stop request raised by SIGINT or SIGTERM: the loop finishes its tick,
/// puts the power stage in its safe state and exits.
struct SignalStop: StopRequest {
  private static let requested = Atomic<Bool>(false)

  /// Installs the handlers (async-signal-safe: they only store a flag) and
  /// unblocks both signals, which a parent may have left blocked (a process
  /// spawned from a thread of a test runner inherits its signal mask).
  static func install() -> SignalStop {
    signal(SIGINT) { _ in SignalStop.requested.store(true, ordering: .relaxed) }
    signal(SIGTERM) { _ in SignalStop.requested.store(true, ordering: .relaxed) }
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    return SignalStop()
  }

  func isStopRequested() -> Bool { SignalStop.requested.load(ordering: .relaxed) }
}
