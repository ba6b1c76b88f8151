#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// The one I/O seam every sysfs attribute, GPIO line and watchdog goes
  /// through: paths are the kernel's (`/sys/class/hwmon/...`,
  /// `/dev/gpiochip0`), and each member is one system call with no policy.
  ///
  /// ``PosixBoardIO`` is the real implementation, with an injectable root
  /// directory so tests can lay out a kernel-shaped tree. A plain file tree
  /// cannot produce errno on a read, validate a write or export a PWM
  /// channel, so tests also use a scripted fake behind this same protocol.
  public protocol BoardIO: AnyObject {
    /// `open(path, flags)`, returning the descriptor.
    func open(_ path: String, flags: CInt) throws(BoardErrno) -> CInt
    /// `close(fd)`.
    func close(_ descriptor: CInt)
    /// `pread(fd, buffer, count, offset)`, returning the byte count.
    func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int)
      throws(BoardErrno) -> Int
    /// `write(fd, bytes, count)`, returning the byte count written.
    func write(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(BoardErrno) -> Int
    /// `ioctl(fd, request, argument)`.
    func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer)
      throws(BoardErrno)
    /// Whether anything exists at `path`.
    func exists(_ path: String) -> Bool
    /// The names in the directory at `path`, without `.` and `..`, sorted.
    func contentsOfDirectory(_ path: String) throws(BoardErrno) -> [String]
    /// The target of the symbolic link at `path`.
    func readLink(_ path: String) throws(BoardErrno) -> String
    /// Sleeps (the short retries while udev catches up after an export).
    func sleep(nanoseconds: UInt64)
    /// What `path` resolves to once every symbolic link, `.` and `..` is
    /// followed (`realpath`), and whether that is a character device.
    func resolveDevice(_ path: String) throws(BoardErrno) -> ResolvedDevice
  }

  /// A device path resolved by ``BoardIO/resolveDevice(_:)``.
  public struct ResolvedDevice: Equatable, Sendable {
    /// The resolved path: a kernel path when it lies under the seam's root
    /// (always, on a real board), else the host's (a test tree's link out).
    public var path: String
    /// Whether the resolved path is a character device.
    public var isCharacterDevice: Bool

    /// A resolution from its parts.
    public init(path: String, isCharacterDevice: Bool) {
      self.path = path
      self.isCharacterDevice = isCharacterDevice
    }
  }

  extension BoardIO {
    /// Opens, reads once at offset 0 and closes: for attributes read once
    /// (a chip's `name`, an IIO scale).
    public func readText(_ path: String) throws(BoardErrno) -> String {
      let descriptor = try open(path, flags: O_RDONLY | O_CLOEXEC)
      defer { close(descriptor) }
      var buffer = [UInt8](repeating: 0, count: 4096)
      let result = buffer.withUnsafeMutableBytes { bytes in
        Result { () throws(BoardErrno) in try pread(descriptor, into: bytes, offset: 0) }
      }
      let count = try result.get()
      return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// Writes one value to an attribute as `echo value > path` does: open,
    /// one `write`, close; a short or failed write is an error (io.md: a
    /// buffered write would hide `EINVAL`).
    public func writeText(_ path: String, _ text: String) throws(BoardErrno) {
      let descriptor = try open(path, flags: O_WRONLY | O_TRUNC | O_CLOEXEC)
      defer { close(descriptor) }
      var bytes = Array(text.utf8)
      bytes.append(0x0A)
      let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(BoardErrno) in try write(descriptor, buffer) }
      }
      let written = try result.get()
      guard written == bytes.count else { throw BoardErrno(EIO) }
    }
  }

  /// The real system calls, with every path resolved under `root` (`/` on
  /// a board, a temporary directory in tests).
  public final class PosixBoardIO: BoardIO {
    /// The directory kernel paths are resolved under (no trailing slash; empty for `/`).
    public let root: String

    /// Creates the seam; `root` defaults to the real `/`.
    public init(root: String = "/") {
      var trimmed = root
      while trimmed.hasSuffix("/") { trimmed.removeLast() }
      self.root = trimmed
    }

    /// The host path of a kernel path.
    public func hostPath(_ path: String) -> String { root + path }

    /// `open` under the root, retrying `EINTR`.
    public func open(_ path: String, flags: CInt) throws(BoardErrno) -> CInt {
      while true {
        let descriptor = Glibc.open(hostPath(path), flags)
        if descriptor >= 0 { return descriptor }
        if errno != EINTR { throw BoardErrno(errno) }
      }
    }

    /// `close`.
    public func close(_ descriptor: CInt) { _ = Glibc.close(descriptor) }

    /// `pread`, retrying `EINTR`.
    public func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int)
      throws(BoardErrno) -> Int
    {
      while true {
        let count = Glibc.pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
        if count >= 0 { return count }
        if errno != EINTR { throw BoardErrno(errno) }
      }
    }

    /// `write`, retrying `EINTR`.
    public func write(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(BoardErrno) -> Int
    {
      while true {
        let count = Glibc.write(descriptor, bytes.baseAddress, bytes.count)
        if count >= 0 { return count }
        if errno != EINTR { throw BoardErrno(errno) }
      }
    }

    /// `ioctl`.
    public func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer)
      throws(BoardErrno)
    {
      if Glibc.ioctl(descriptor, request, argument) < 0 { throw BoardErrno(errno) }
    }

    /// `access(path, F_OK)` under the root.
    public func exists(_ path: String) -> Bool { access(hostPath(path), F_OK) == 0 }

    /// `opendir`/`readdir` under the root.
    public func contentsOfDirectory(_ path: String) throws(BoardErrno) -> [String] {
      guard let directory = opendir(hostPath(path)) else { throw BoardErrno(errno) }
      defer { closedir(directory) }
      var names: [String] = []
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
      }
      return names.sorted()
    }

    /// `readlink` under the root.
    public func readLink(_ path: String) throws(BoardErrno) -> String {
      var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = Glibc.readlink(hostPath(path), &target, target.count)
      guard count >= 0 else { throw BoardErrno(errno) }
      return String(decoding: target.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `realpath` under the root, then `stat`.
    public func resolveDevice(_ path: String) throws(BoardErrno) -> ResolvedDevice {
      guard let resolved = realpath(hostPath(path), nil) else { throw BoardErrno(errno) }
      let host = String(cString: resolved)
      free(resolved)
      var status = stat()
      guard stat(host, &status) == 0 else { throw BoardErrno(errno) }
      let isCharacter = status.st_mode & S_IFMT == S_IFCHR
      let underRoot = !root.isEmpty && host.hasPrefix(root + "/")
      return ResolvedDevice(
        path: underRoot ? String(host.dropFirst(root.count)) : host, isCharacterDevice: isCharacter)
    }

    /// `nanosleep`.
    public func sleep(nanoseconds: UInt64) {
      var request = timespec(
        tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
      var remaining = timespec()
      while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
  }
#endif
