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
/// unreadable (``InputFileError``), whatever the file is, and one bound on
/// the work: the size is checked with `fstat` on the open descriptor before
/// a byte is read, and the read itself stops one byte past the limit (so a
/// pipe or a device that never ends costs at most the limit, too).
package enum InputFile {
  /// The largest trace or telemetry file read back (`replay`, `plot`), bytes
  /// (256 MiB: the telemetry of the longest run a profile may ask for,
  /// ``Profile/maximumTicks`` rows, fits).
  package static let maximumRecordingBytes = 256 << 20

  /// The bytes of `path`; a file larger than `maximumBytes` is a data error
  /// (refused before it is read when it is a regular file), unless
  /// `prefixOnly`: then its first `maximumBytes` bytes (a header to look at).
  package static func read(_ path: String, maximumBytes: Int, prefixOnly: Bool = false)
    throws(KitError) -> [UInt8]
  {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard descriptor >= 0 else {
      let code = errno
      throw .input(
        InputFileError(
          path: path,
          reason: code == ENOENT || code == ENOTDIR
            ? "no such file" : "cannot be read (\(String(cString: strerror(code))))"))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .input(InputFileError(path: path, reason: "cannot be read"))
    }
    let kind = status.st_mode & S_IFMT
    if kind == S_IFDIR { throw .input(InputFileError(path: path, reason: "is a directory")) }
    if !prefixOnly && kind == S_IFREG && Int64(status.st_size) > Int64(maximumBytes) {
      throw .invalid(
        "\(path): \(status.st_size) bytes, larger than the limit of \(maximumBytes) bytes")
    }
    var bytes: [UInt8] = []
    let expected = kind == S_IFREG ? Int(status.st_size) : 64 << 10
    bytes.reserveCapacity(min(expected, maximumBytes) + 1)
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while bytes.count <= maximumBytes {
      let wanted = min(chunk.count, maximumBytes + 1 - bytes.count)
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
      if count < 0 {
        if errno == EINTR { continue }
        let code = errno
        if code == EISDIR { throw .input(InputFileError(path: path, reason: "is a directory")) }
        throw .input(
          InputFileError(path: path, reason: "cannot be read (\(String(cString: strerror(code))))"))
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    if prefixOnly { return Array(bytes.prefix(maximumBytes)) }
    guard bytes.count <= maximumBytes else {
      throw .invalid("\(path): larger than the limit of \(maximumBytes) bytes")
    }
    return bytes
  }
}
