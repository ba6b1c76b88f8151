import Foundation
import Synchronization
import ThermalLoop

/// A stop request raised by SIGINT or SIGTERM: the loop finishes its tick,
/// puts the power stage in its safe state and exits.
struct SignalStop: StopRequest {
  private static let requested = Atomic<Bool>(false)

  /// Installs the handlers (async-signal-safe: they only store a flag).
  static func install() -> SignalStop {
    signal(SIGINT) { _ in SignalStop.requested.store(true, ordering: .relaxed) }
    signal(SIGTERM) { _ in SignalStop.requested.store(true, ordering: .relaxed) }
    return SignalStop()
  }

  func isStopRequested() -> Bool { SignalStop.requested.load(ordering: .relaxed) }
}
