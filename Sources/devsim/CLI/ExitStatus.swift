import ApplicatorLinux
import DevsimKit

/// The exit-code table (DESIGN §5, after sysexits.h): the one place the
/// codes and their meanings are written. Help, `devsim help exit-codes` and
/// the README's table are rendered from it.
enum ExitCode: Int32, CaseIterable, Sendable {
  /// Success; every expectation met.
  case success = 0
  /// A check failed: an expectation, a trip the profile did not expect, a
  /// failed scenario or campaign run, an aborted tuning.
  case checkFailed = 1
  /// Bad command-line usage (EX_USAGE).
  case usage = 64
  /// Bad input data: a profile, a trace, a board file, a telemetry file (EX_DATAERR).
  case dataError = 65
  /// An input file missing or unreadable, whatever the command (EX_NOINPUT).
  case noInput = 66
  /// An internal error: a failure no layer classified (EX_SOFTWARE).
  case software = 70
  /// An I/O failure: an output that could not be written, a device that
  /// could not be opened or went away, an output not confirmed off (EX_IOERR).
  case ioError = 74
  /// Stopped by SIGHUP, the output confirmed in its safe state (128 + 1).
  case hangUp = 129
  /// Stopped by SIGINT, the output confirmed in its safe state (128 + 2).
  case interrupted = 130
  /// Stopped by SIGQUIT, the output confirmed in its safe state (128 + 3).
  case quit = 131
  /// Stopped by SIGTERM, the output confirmed in its safe state (128 + 15).
  case terminated = 143

  /// What the code means, one line.
  var meaning: String {
    switch self {
    case .success: "success: every expectation met"
    case .checkFailed:
      "a check failed: an expectation, a trip the profile did not expect, a failed scenario or campaign run, an aborted tuning"
    case .usage: "bad usage: an unknown option, a missing or malformed value (EX_USAGE)"
    case .dataError:
      "bad input data: a profile, trace, board file or telemetry file that cannot be used, or a rig whose handshake does not match the profile (EX_DATAERR)"
    case .noInput: "an input file is missing or unreadable, in every command (EX_NOINPUT)"
    case .software: "internal error (EX_SOFTWARE)"
    case .ioError:
      "I/O failure: an output not written, a device that could not be opened or went away, outputs not confirmed off, however the run stopped (EX_IOERR)"
    case .hangUp: "stopped by SIGHUP; the output was confirmed in its safe state"
    case .interrupted: "stopped by SIGINT; the output was confirmed in its safe state"
    case .quit: "stopped by SIGQUIT; the output was confirmed in its safe state"
    case .terminated: "stopped by SIGTERM; the output was confirmed in its safe state"
    }
  }

  /// The code for a run stopped by `signal` once its safe state was
  /// confirmed (128 + the signal's number).
  static func stopped(by signal: Int32) -> ExitCode {
    ExitCode(rawValue: 128 + signal) ?? .terminated
  }

  /// The table as text: one code a line, code then meaning (the README quotes it).
  static var table: String {
    allCases.map {
      "\(String($0.rawValue).padding(toLength: 5, withPad: " ", startingAt: 0))\($0.meaning)"
    }
    .joined(separator: "\n") + "\n"
  }
}

/// A command line that cannot be used; a usage line follows the message.
struct UsageError: Error, CustomStringConvertible {
  /// What is wrong, naming the option or argument.
  var message: String

  init(_ message: String) { self.message = message }

  var description: String { message }
}

/// The one mapping from errors to exit codes: every layer throws its own
/// typed error and only this function decides the code.
enum ExitStatus {
  /// How a command ends on an error: its code, its message, and whether a
  /// usage line follows.
  struct Failure: Equatable {
    var code: ExitCode
    var message: String
    var showUsage: Bool = false
  }

  /// The exit code, message and usage flag for `error`.
  static func failure(for error: any Error) -> Failure {
    switch error {
    case let error as UsageError: Failure(code: .usage, message: error.message, showUsage: true)
    case let error as OptionValueError:
      Failure(code: .usage, message: error.message, showUsage: true)
    case let error as InputFileError: Failure(code: .noInput, message: error.description)
    case let error as DataError: Failure(code: .dataError, message: error.message)
    case let error as JSONDataError: Failure(code: .dataError, message: error.description)
    case let error as OutputFileError: Failure(code: .ioError, message: error.description)
    case let error as DeviceError: Failure(code: .ioError, message: error.message)
    case let error as SystemError: Failure(code: .ioError, message: error.message)
    case let error as SerialOpenError: Failure(code: .ioError, message: error.message)
    case let error as KitError: failure(for: error.underlying)
    default: Failure(code: .software, message: "internal error: \(error)")
    }
  }
}
