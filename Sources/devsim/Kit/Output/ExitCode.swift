/// Exit codes (DESIGN §5, after sysexits.h).
package enum ExitCode: Int32 {
  /// Success; every expectation met.
  case success = 0
  /// A check failed: an expectation, a trip the profile did not expect.
  case checkFailed = 1
  /// Bad command-line usage (EX_USAGE).
  case usage = 64
  /// Bad input data: a profile, a trace, a board file (EX_DATAERR).
  case dataError = 65
  /// An I/O failure: a device gone, an output that could not be written (EX_IOERR).
  case ioError = 74
}

/// An error that ends a command with a message and an exit code.
package struct CommandError: Error {
  /// An error ending a command with `code` and `message`, and a usage line if `showUsage`.
  package init(code: ExitCode, message: String, showUsage: Bool = false) {
    self.code = code
    self.message = message
    self.showUsage = showUsage
  }

  package var code: ExitCode
  package var message: String
  /// Whether a usage line should follow the message.
  package var showUsage: Bool = false
}
