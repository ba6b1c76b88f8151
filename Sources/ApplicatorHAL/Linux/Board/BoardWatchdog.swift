#if canImport(Glibc)
  import Glibc

  /// A hardware watchdog (`/dev/watchdog`): opening it arms it, each
  /// keepalive write restarts its timer, and only the magic close (`V`
  /// written just before closing) disarms it. A process that dies without
  /// running its safe-off path (SIGKILL, out of memory) stops the
  /// keepalives, and the watchdog resets the board, cutting the outputs.
  public final class BoardWatchdog {
    private let io: any BoardIO
    /// The device path.
    public let path: String
    private var descriptor: CInt?

    /// `WDIOC_SETTIMEOUT` = `_IOWR('W', 6, int)`.
    public static let setTimeoutRequest = GPIOv2.ioctlNumber(
      read: true, write: true, type: UInt8(ascii: "W"), number: 6, size: 4)

    /// Opens (arms) the watchdog and asks for `timeoutSeconds` (a device
    /// that cannot set it keeps its own, which the caller may report).
    public init(io: any BoardIO, path: String, timeoutSeconds: Int32?) throws(BoardOpenError) {
      self.io = io
      self.path = path
      let descriptor: CInt
      do { descriptor = try io.open(path, flags: O_WRONLY | O_CLOEXEC) } catch {
        throw BoardOpenError(path: path, errno: error, doing: "open")
      }
      self.descriptor = descriptor
      if let timeoutSeconds {
        var value = timeoutSeconds
        _ = try? withUnsafeMutableBytes(of: &value) { bytes throws(BoardErrno) in
          if let base = bytes.baseAddress {
            try io.ioctl(descriptor, request: BoardWatchdog.setTimeoutRequest, argument: base)
          }
        }
      }
    }

    deinit { if let descriptor { io.close(descriptor) } }

    /// Restarts the watchdog's timer (one byte other than `V`).
    public func keepAlive() throws(FaultKind) { try send(UInt8(ascii: "k")) }

    /// The magic close: the watchdog is disarmed. Only for a clean exit
    /// with the outputs known to be off.
    public func disarm() throws(FaultKind) {
      try send(UInt8(ascii: "V"))
      if let descriptor { io.close(descriptor) }
      descriptor = nil
    }

    /// Closes without the magic byte: the watchdog stays armed and resets
    /// the board at its timeout (for an exit whose safe-off failed).
    public func abandon() {
      if let descriptor { io.close(descriptor) }
      descriptor = nil
    }

    private func send(_ byte: UInt8) throws(FaultKind) {
      guard let descriptor else { throw .notFound }
      var value = byte
      let result = withUnsafeBytes(of: &value) { bytes in
        Result { () throws(BoardErrno) in try io.write(descriptor, bytes) }
      }
      switch result {
      case .success(let count): if count != 1 { throw .io }
      case .failure(let error): throw error.fault
      }
    }
  }
#endif
