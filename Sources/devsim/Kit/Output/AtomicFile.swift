import Foundation
import Synchronization

/// Writes an output whole or not at all, without ever replacing what is not
/// a regular file.
///
/// What the target is decides how it is written:
///
/// - **a regular file, or nothing yet**: bytes go to a temporary file in the
///   target's directory, which is flushed and renamed over the target only
///   by ``commit()``; ``abort()`` (or a failure) removes it. The temporary
///   name does not grow with the target's (`.devsim-<pid>-<n>.partial`), so
///   any name the file system accepts (up to NAME_MAX, 255 bytes) fits.
/// - **a symbolic link**: followed. A link to a regular file replaces that
///   file (the link stays); a link to a device or a FIFO is written in place,
///   as below; a dangling link is refused.
/// - **`-`**: standard output, written in place.
/// - **a character device or a FIFO** (`/dev/null`, `/dev/stdout`, a pipe):
///   written in place; the node is never replaced, and a write error (ENOSPC
///   from `/dev/full`) is reported by ``commit()``.
/// - **a directory, a block device or a socket**: refused.
///
/// Temporary files are removed on every stop: by ``abort()`` and `deinit`,
/// and, when a stopping signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) arrives
/// while nothing else handles it, by a handler that removes every pending
/// temporary file before the process dies of the signal.
package final class AtomicFile {
  /// The target's path as given.
  package let path: String
  private let replacement: (temporary: String, target: String)?
  private var descriptor: Int32
  private var failure: Int32 = 0
  private var slot: Int?

  /// Opens `path` for writing as its kind asks (see the type's documentation).
  package init(path: String) throws(OutputFileError) {
    self.path = path
    if path == "-" {
      descriptor = dup(STDOUT_FILENO)
      replacement = nil
      guard descriptor >= 0 else { throw AtomicFile.error(path, errno) }
      return
    }
    var status = stat()
    if stat(path, &status) != 0 {
      let code = errno
      var link = stat()
      if code == ENOENT && lstat(path, &link) == 0 {
        throw OutputFileError(path: path, reason: "a symbolic link to nothing")
      }
      guard code == ENOENT else { throw AtomicFile.error(path, code) }
      (replacement, descriptor, slot) = try AtomicFile.temporary(replacing: path, shown: path)
      return
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG:
      var target = path
      var link = stat()
      if lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK {
        guard let resolved = realpath(path, nil) else { throw AtomicFile.error(path, errno) }
        target = String(cString: resolved)
        free(resolved)
      }
      (replacement, descriptor, slot) = try AtomicFile.temporary(replacing: target, shown: path)
    case S_IFCHR, S_IFIFO:
      replacement = nil
      descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
      guard descriptor >= 0 else { throw AtomicFile.error(path, errno) }
    case S_IFDIR: throw OutputFileError(path: path, reason: "is a directory")
    case S_IFBLK:
      throw OutputFileError(path: path, reason: "is a block device; devsim does not write to one")
    default:
      throw OutputFileError(
        path: path, reason: "is not a regular file, a character device or a FIFO")
    }
  }

  deinit { abort() }

  /// Whether the output goes to a temporary file that ``commit()`` renames
  /// over the target (`false`: written in place, to a device, a FIFO or
  /// standard output).
  package var replacesTarget: Bool { replacement != nil }

  /// Appends bytes; the first error is remembered and reported by ``commit()``.
  package func append(_ bytes: [UInt8]) {
    guard failure == 0, descriptor >= 0 else { return }
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += written
      }
    }
  }

  /// Flushes, closes and renames the file into place (written in place:
  /// closes it and reports the first write error).
  package func commit() throws(OutputFileError) {
    guard descriptor >= 0 else { return }
    if let replacement {
      if failure == 0 && fsync(descriptor) != 0 { failure = errno }
      if close(descriptor) != 0 && failure == 0 { failure = errno }
      descriptor = -1
      if failure == 0 && rename(replacement.temporary, replacement.target) != 0 {
        failure = errno
      }
      if failure != 0 { unlink(replacement.temporary) }
    } else {
      if close(descriptor) != 0 && failure == 0 && errno != EINTR { failure = errno }
      descriptor = -1
    }
    release()
    if failure != 0 { throw AtomicFile.error(path, failure) }
  }

  /// Drops the temporary file; the target is left as it was. (Written in
  /// place, what was written stays written.)
  package func abort() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
    if let replacement { unlink(replacement.temporary) }
    release()
  }

  /// Writes a whole file in one go.
  package static func write(_ bytes: [UInt8], to path: String) throws(OutputFileError) {
    let file = try AtomicFile(path: path)
    file.append(bytes)
    try file.commit()
  }

  private func release() {
    if let slot { PendingTemporaries.release(slot) }
    slot = nil
  }

  private static let sequence = Atomic<Int>(0)

  /// Creates a temporary file next to `target` (exclusively: an existing
  /// file of that name is never reused) and registers it for removal on a signal.
  private static func temporary(replacing target: String, shown: String)
    throws(OutputFileError) -> ((temporary: String, target: String), Int32, Int?)
  {
    let directory: String
    if let slash = target.lastIndex(of: "/") {
      directory = slash == target.startIndex ? "/" : String(target[..<slash])
    } else {
      directory = "."
    }
    var status = stat()
    if stat(directory, &status) == 0 && status.st_mode & S_IFMT != S_IFDIR {
      throw OutputFileError(path: shown, reason: "\(directory) is not a directory")
    }
    while true {
      let number = sequence.wrappingAdd(1, ordering: .relaxed).oldValue
      let temporary =
        (directory == "/" ? "" : directory) + "/.devsim-\(getpid())-\(number).partial"
      let descriptor = open(
        temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
      if descriptor < 0 {
        if errno == EEXIST { continue }
        throw AtomicFile.error(shown, errno)
      }
      let slot = PendingTemporaries.register(temporary)
      return ((temporary, target), descriptor, slot)
    }
  }

  private static func error(_ path: String, _ code: Int32) -> OutputFileError {
    OutputFileError(path: path, reason: String(cString: strerror(code)))
  }
}

/// The temporary files not yet committed or dropped, kept where a signal
/// handler can reach them without allocating: a fixed table of C strings.
/// The first registration installs a handler for the stopping signals that
/// have none (a run paced to the wall clock installs its own, which stops
/// the loop and lets the files be finished or dropped normally).
enum PendingTemporaries {
  private static let capacity = 64
  private static let lock = Mutex<Void>(())
  nonisolated(unsafe) private static let table:
    UnsafeMutablePointer<
      UnsafeMutablePointer<CChar>?
    > = {
      let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
      table.initialize(repeating: nil, count: capacity)
      return table
    }()
  private static let installed = Atomic<Bool>(false)

  /// Records `path`; `nil` when the table is full (the file is still
  /// removed by `abort`, only not by a signal).
  static func register(_ path: String) -> Int? {
    installHandlers()
    return lock.withLock { _ in
      for slot in 0..<capacity where table[slot] == nil {
        table[slot] = strdup(path)
        return slot
      }
      return nil
    }
  }

  /// Forgets the path in `slot` (committed or removed).
  static func release(_ slot: Int) {
    lock.withLock { _ in
      let path = table[slot]
      table[slot] = nil
      free(path)
    }
  }

  /// Removes every pending file (async-signal-safe: `unlink` only).
  static func removeAll() {
    for slot in 0..<capacity {
      if let path = table[slot] { unlink(path) }
    }
  }

  private static func installHandlers() {
    guard !installed.exchange(true, ordering: .relaxed) else { return }
    _ = table  // initialised here, never inside the handler
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
      var current = sigaction()
      guard sigaction(number, nil, &current) == 0,
        current.__sigaction_handler.sa_handler == nil
      else { continue }
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { number in
        PendingTemporaries.removeAll()
        signal(number, SIG_DFL)
        raise(number)
      }
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      sigaction(number, &action, nil)
      sigaddset(&signals, number)
    }
    // A parent may have left them blocked (a process spawned from a thread
    // of a test runner inherits its mask): as SignalStop, unblock them.
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
  }
}
