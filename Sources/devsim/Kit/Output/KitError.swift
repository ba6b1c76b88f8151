import Foundation

// The library's errors. Each says what went wrong in the library's own
// terms; the command layer alone turns them into exit codes (one function,
// `ExitStatus.failure(for:)` in the executable).

/// An input file (a profile, a board file, a trace, a telemetry file, a
/// suite path) that does not exist or cannot be read.
package struct InputFileError: Error, CustomStringConvertible {
  /// The file's path as given.
  package var path: String
  /// Why it could not be read: "no such file", "is a directory", "cannot be read".
  package var reason: String

  /// An error for `path` with `reason`.
  package init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// Why `path` could not be read, from the file system's view of it.
  package init(unreadable path: String) {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    self.init(
      path: path,
      reason: !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read"
    )
  }

  package var description: String { "\(path): \(reason)" }
}

/// Input content that cannot be used: a profile, a trace, a board file or a
/// telemetry file with the wrong content. The message names the file and the
/// line or JSON path where there is one.
package struct DataError: Error, CustomStringConvertible {
  /// What is wrong, and where.
  package var message: String

  /// An error with `message`.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// An output file that could not be written (whole or not at all).
package struct OutputFileError: Error, CustomStringConvertible {
  /// The file's path as given.
  package var path: String
  /// The operating system's reason.
  package var reason: String

  /// An error for `path` with `reason`.
  package init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  package var description: String { "cannot write \(path): \(reason)" }
}

/// A device (a rig on a tty or TCP, a board's sysfs or GPIO file) that could
/// not be opened, stopped answering or went away. Never a claim that any
/// output is in its safe state.
package struct DeviceError: Error, CustomStringConvertible {
  /// What failed, naming the device.
  package var message: String

  /// An error with `message`.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// A value from the command line or the environment that the library
/// parses itself (`--shard`, `--schedule`, Bazel's shard variables) and refused.
package struct OptionValueError: Error, CustomStringConvertible {
  /// What was refused, naming the option.
  package var message: String

  /// An error with `message`.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// A resource the operating system did not give (a thread for the control loop).
package struct SystemError: Error, CustomStringConvertible {
  /// What could not be had.
  package var message: String

  /// An error with `message`.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// A failure of a library operation that spans areas (reading and decoding
/// a file, opening devices and running on them).
package enum KitError: Error, CustomStringConvertible {
  /// An input file missing or unreadable.
  case input(InputFileError)
  /// Input content that cannot be used.
  case data(DataError)
  /// An output that could not be written.
  case output(OutputFileError)
  /// A device that could not be opened or went away.
  case device(DeviceError)
  /// A command-line value the library refused.
  case option(OptionValueError)
  /// A resource the operating system did not give.
  case system(SystemError)

  /// Bad input content with `message` (naming file and line or JSON path).
  package static func invalid(_ message: String) -> KitError { .data(DataError(message)) }

  /// A device failure with `message`.
  package static func deviceFailure(_ message: String) -> KitError {
    .device(DeviceError(message))
  }

  /// The underlying error.
  package var underlying: any Error {
    switch self {
    case .input(let error): error
    case .data(let error): error
    case .output(let error): error
    case .device(let error): error
    case .option(let error): error
    case .system(let error): error
    }
  }

  /// The message for the user (file, line or JSON path included).
  package var message: String { description }

  package var description: String { String(describing: underlying) }
}

/// Reads input files for the library: one rule for a file that is missing or
/// unreadable (``InputFileError``), whatever the file is.
package enum InputFile {
  /// The bytes of `path`; at most `maximumBytes` (a larger file is a data error).
  package static func read(_ path: String, maximumBytes: Int = .max) throws(KitError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .input(InputFileError(unreadable: path))
    }
    guard data.count <= maximumBytes else {
      throw .invalid("\(path): larger than \(maximumBytes) bytes")
    }
    return [UInt8](data)
  }
}
