import Foundation

/// Writes a file whole or not at all: bytes go to a temporary file in the
/// target's directory, which is flushed and renamed over the target only by
/// ``commit()``; ``abort()`` (or a failure) removes it.
package final class AtomicFile {
  package let path: String
  private let temporaryPath: String
  private var descriptor: Int32
  private var failure: Int32 = 0

  /// Creates the temporary file next to `path`.
  package init(path: String) throws(OutputFileError) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    temporaryPath = "\(directory)/.\(url.lastPathComponent).\(getpid()).partial"
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw OutputFileError(path: path, reason: AtomicFile.describe(errno))
    }
  }

  deinit { abort() }

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

  /// Flushes, closes and renames the file into place.
  package func commit() throws(OutputFileError) {
    guard descriptor >= 0 else { return }
    if failure == 0 && fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0 && failure == 0 { failure = errno }
    descriptor = -1
    if failure == 0 && rename(temporaryPath, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(temporaryPath)
      throw OutputFileError(path: path, reason: AtomicFile.describe(failure))
    }
  }

  /// Drops the temporary file; the target is left as it was.
  package func abort() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
    unlink(temporaryPath)
  }

  /// Writes a whole file in one go.
  package static func write(_ bytes: [UInt8], to path: String) throws(OutputFileError) {
    let file = try AtomicFile(path: path)
    file.append(bytes)
    try file.commit()
  }

  private static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
