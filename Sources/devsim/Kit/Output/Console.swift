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
  /// loop must still end safe. Control characters other than line feed and
  /// tab are escaped (``TerminalText/escaped(_:)``): text from an input file
  /// cannot move the cursor, erase a line or print over a result.
  package func write(_ text: String) {
    let text = TerminalText.escaped(text)
    if capturing {
      captured.withLock { $0.output += text }
    } else {
      try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }
  }

  /// Writes to standard error, as ``write(_:)`` does to standard output.
  package func writeError(_ text: String) {
    writeErrorVerbatim(TerminalText.escaped(text))
  }

  /// A progress line on standard error: `text` (escaped) drawn over the
  /// previous progress line (carriage return, erase to the end of the line).
  package func writeProgress(_ text: String, last: Bool) {
    writeErrorVerbatim("\r" + TerminalText.escaped(text) + "\u{1B}[K" + (last ? "\n" : ""))
  }

  private func writeErrorVerbatim(_ text: String) {
    if capturing {
      captured.withLock { $0.errors += text }
    } else {
      try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
  }
}

/// Text from input made safe for a terminal.
package enum TerminalText {
  /// `text` with every control character but line feed and tab (C0, DEL,
  /// C1, and the bidirectional overrides and isolates that reorder what a
  /// terminal shows) written as `\u{XX}`.
  package static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      if isUnsafe(scalar) {
        result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// Whether `scalar` is a control character a terminal would act on
  /// (line feed and tab excepted) or a bidirectional control.
  package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0x00..<0x20, 0x7F..<0xA0: true
    case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
    default: false
    }
  }
}
