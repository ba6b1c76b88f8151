import Foundation

/// Writes a file whole or not at all: the bytes go to a temporary file in the
/// same directory, which is flushed and then renamed over the target.
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String) throws(CommandError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw CommandError(code: .ioError, message: "cannot write \(path): no directory \(directory)")
    }
    let temporary = "\(directory)/.\(url.lastPathComponent).\(getpid()).partial"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw CommandError(
        code: .ioError, message: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    var offset = 0
    var failure: Int32 = 0
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
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
    if failure == 0 && fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temporary, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(temporary)
      throw CommandError(
        code: .ioError, message: "cannot write \(path): \(String(cString: strerror(failure)))")
    }
  }
}
