import Foundation

/// Where a command writes: standard output and standard error, or buffers in tests.
final class Console {
  private(set) var output = ""
  private(set) var errors = ""
  private let capturing: Bool
  /// Whether standard error is a terminal (progress goes there only then).
  let errorIsTerminal: Bool

  /// A console on the process's own streams.
  static func standard() -> Console { Console(capturing: false, errorIsTerminal: isatty(2) == 1) }

  /// A console that keeps everything in memory.
  static func capture() -> Console { Console(capturing: true, errorIsTerminal: false) }

  private init(capturing: Bool, errorIsTerminal: Bool) {
    self.capturing = capturing
    self.errorIsTerminal = errorIsTerminal
  }

  func write(_ text: String) {
    if capturing { output += text } else { FileHandle.standardOutput.write(Data(text.utf8)) }
  }

  func writeError(_ text: String) {
    if capturing { errors += text } else { FileHandle.standardError.write(Data(text.utf8)) }
  }
}
