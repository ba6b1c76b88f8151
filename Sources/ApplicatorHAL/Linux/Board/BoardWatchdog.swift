#if canImport(Glibc)
  import ApplicatorHAL
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

    /// The timeout the device reports (`WDIOC_GETTIMEOUT`), s; `nil` when
    /// it cannot say.
    public private(set) var timeoutSeconds: Int32?

    /// `WDIOC_SETTIMEOUT` = `_IOWR('W', 6, int)`.
    public static let setTimeoutRequest = GPIOv2.ioctlNumber(
      read: true, write: true, type: UInt8(ascii: "W"), number: 6, size: 4)
    /// `WDIOC_GETTIMEOUT` = `_IOR('W', 7, int)`.
    public static let getTimeoutRequest = GPIOv2.ioctlNumber(
      read: true, write: false, type: UInt8(ascii: "W"), number: 7, size: 4)

    /// Opens (arms) the watchdog, asks for `timeoutSeconds` when given, and
    /// reads the timeout back into ``timeoutSeconds``.
    ///
    /// - Throws: when a timeout was asked for and the device refused it,
    ///   cannot report it, or reports a longer one (drivers round to their
    ///   hardware's steps): ``FaultKind/invalidValue`` naming both values.
    ///   The watchdog is then disarmed with the magic close before the
    ///   error (nothing has been driven yet), so a refused board is not reset.
    public init(io: any BoardIO, path: String, timeoutSeconds requested: Int32?)
      throws(BoardOpenError)
    {
      self.io = io
      self.path = path
      let descriptor: CInt
      do { descriptor = try io.open(path, flags: O_WRONLY | O_CLOEXEC) } catch {
        throw BoardOpenError(path: path, errno: error, doing: "open")
      }
      self.descriptor = descriptor
      var refused: BoardErrno? = nil
      if let requested {
        var value = requested
        refused = Self.exchange(io, descriptor, Self.setTimeoutRequest, &value)
      }
      var reported: Int32 = 0
      if Self.exchange(io, descriptor, Self.getTimeoutRequest, &reported) == nil {
        timeoutSeconds = reported
      }
      guard let requested else { return }
      var problem: String? = nil
      if let refused {
        problem = "the device refused a \(requested) s timeout (WDIOC_SETTIMEOUT: \(refused.name))"
      } else if let timeoutSeconds, timeoutSeconds > requested {
        problem = "asked for a \(requested) s timeout, the device set \(timeoutSeconds) s"
      } else if timeoutSeconds == nil {
        problem = "the device does not report its timeout (WDIOC_GETTIMEOUT failed)"
      }
      if let problem {
        try? disarm()
        throw BoardOpenError(
          path: path, fault: .invalidValue,
          message: "\(path): \(problem); give a timeout the device supports")
      }
    }

    /// One `int` ioctl; the errno on failure.
    private static func exchange(
      _ io: any BoardIO, _ descriptor: CInt, _ request: UInt, _ value: inout Int32
    ) -> BoardErrno? {
      let result = withUnsafeMutableBytes(of: &value) { bytes in
        Result { () throws(BoardErrno) in
          guard let base = bytes.baseAddress else { throw BoardErrno(EINVAL) }
          try io.ioctl(descriptor, request: request, argument: base)
        }
      }
      if case .failure(let error) = result { return error }
      return nil
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
