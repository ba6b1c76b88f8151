import Foundation
import Synchronization

/// Where a command writes: standard output and standard error, or buffers in tests.
/// Safe to share between the threads of a suite.
package final class Console: Sendable {
  private let capturing: Bool
  private let captured = Mutex((output: "", errors: ""))
  /// Whether standard error is a terminal (progress goes there only then).
  package let errorIsTerminal: Bool

  /// A console on the process's own streams.
  package static func standard() -> Console {
    Console(capturing: false, errorIsTerminal: isatty(2) == 1)
  }

  /// A console that keeps everything in memory.
  package static func capture() -> Console { Console(capturing: true, errorIsTerminal: false) }

  private init(capturing: Bool, errorIsTerminal: Bool) {
    self.capturing = capturing
    self.errorIsTerminal = errorIsTerminal
  }

  /// What was written to standard output (captured consoles only).
  package var output: String { captured.withLock { $0.output } }
  /// What was written to standard error (captured consoles only).
  package var errors: String { captured.withLock { $0.errors } }

  /// Writes to standard output. A stream that has gone away (a closed pipe:
  /// SIGPIPE is ignored) loses the text; it never stops the process, whose
  /// loop must still end safe.
  package func write(_ text: String) {
    if capturing {
      captured.withLock { $0.output += text }
    } else {
      try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }
  }

  /// Writes to standard error, as ``write(_:)`` does to standard output.
  package func writeError(_ text: String) {
    if capturing {
      captured.withLock { $0.errors += text }
    } else {
      try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
  }
}
