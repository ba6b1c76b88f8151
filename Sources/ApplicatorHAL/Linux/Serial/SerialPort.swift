#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A serial port (`/dev/ttyUSB0`, `/dev/ttyACM0`, a pty slave) as a ``ByteStream``.
  ///
  /// Opening follows pyserial's `serialposix`: the port is locked with
  /// `flock` before anything is changed, so a second program (or a second
  /// ``SerialPort``) is refused with ``FaultKind/busy`` instead of silently
  /// reconfiguring a port in use; `TIOCEXCL` then refuses further opens by
  /// non-root processes. The line is set to raw mode with the requested
  /// framing and read back; settings the driver did not take are an error,
  /// not a surprise later. Input received before the open is discarded.
  ///
  /// ```swift
  /// let port = try SerialPort(path: "/dev/ttyACM0")
  /// let deadline = MonotonicClock.rawNanoseconds() + 500_000_000
  /// try port.write(Array("*IDN?\n".utf8), deadlineNanoseconds: deadline)
  /// let reply = try port.readLine(maximumBytes: 256, deadlineNanoseconds: deadline)
  /// ```
  ///
  /// A USB unplug shows as ``FaultKind/disconnected`` from the next read or
  /// write; the port must then be closed and opened again. Not thread-safe.
  public final class SerialPort: ByteStream {
    /// The device path as given.
    public let path: String
    /// The settings in effect.
    public let configuration: SerialConfiguration
    private let stream: DescriptorStream
    private let systemCalls: SerialSystemCalls

    /// Opens O_RDWR|O_NOCTTY|O_NONBLOCK|O_CLOEXEC; flock(LOCK_EX|LOCK_NB) BEFORE changing settings (EWOULDBLOCK -> .busy "in use by another program"); then TIOCEXCL; cfmakeraw, CLOCAL|CREAD, data bits/parity/stop bits, no flow control unless asked, VMIN=VTIME=0; tcsetattr then read back and compare (mismatch -> .invalidValue); tcflush input.
    ///
    /// - Throws: ``SerialOpenError`` naming the path and errno:
    ///   ``FaultKind/notFound`` (no such device), ``FaultKind/permissionDenied``,
    ///   ``FaultKind/busy`` (locked by another program, or `EBUSY` from
    ///   `TIOCEXCL`), ``FaultKind/invalidValue`` (a bad configuration, not a
    ///   terminal, or settings the driver refused or did not keep — a pty,
    ///   for one, keeps only 8 data bits without parity).
    public convenience init(
      path: String, configuration: SerialConfiguration = SerialConfiguration()
    ) throws(SerialOpenError) {
      try self.init(path: path, configuration: configuration, systemCalls: .posix)
    }

    /// Opens through the given system calls (tests script failures with them).
    init(
      path: String, configuration: SerialConfiguration, systemCalls: SerialSystemCalls
    ) throws(SerialOpenError) {
      if let problem = configuration.problem {
        throw SerialOpenError(kind: .invalidValue, message: "\(path): \(problem)")
      }
      let descriptor: CInt
      do {
        descriptor = try SerialSystemCalls.Errno.retryingInterrupts {
          () throws(SerialSystemCalls.Errno) in
          try systemCalls.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        }
      } catch {
        throw SerialOpenError(path, "cannot open", call: "open", errno: error)
      }
      do {
        try Self.takeExclusiveUse(descriptor, path: path, systemCalls)
      } catch {
        systemCalls.close(descriptor)
        throw error
      }
      do {
        try Self.configure(descriptor, path: path, configuration, systemCalls)
      } catch {
        // Give up exclusive use too: a pty slave held open elsewhere would stay exclusive.
        try? systemCalls.ioctl(descriptor, UInt(TIOCNXCL), nil)
        systemCalls.close(descriptor)
        throw error
      }
      self.path = path
      self.configuration = configuration
      self.systemCalls = systemCalls
      stream = DescriptorStream(descriptor: descriptor, kind: .terminal, systemCalls: systemCalls)
    }

    deinit { close() }

    /// Locks the port (`flock`) and then makes it exclusive (`TIOCEXCL`).
    ///
    /// Nothing is changed on a port another program has locked: in
    /// particular its `TIOCEXCL`, which belongs to the tty, not to a descriptor.
    private static func takeExclusiveUse(
      _ descriptor: CInt, path: String, _ systemCalls: SerialSystemCalls
    ) throws(SerialOpenError) {
      typealias Errno = SerialSystemCalls.Errno
      do {
        try Errno.retryingInterrupts { () throws(Errno) in
          try systemCalls.flock(descriptor, LOCK_EX | LOCK_NB)
        }
      } catch {
        if error.rawValue == EWOULDBLOCK {
          throw SerialOpenError(
            path, "in use by another program", call: "flock", errno: error, kind: .busy)
        }
        throw SerialOpenError(path, "cannot lock", call: "flock", errno: error)
      }
      do {
        try systemCalls.ioctl(descriptor, UInt(TIOCEXCL), nil)
      } catch {
        throw SerialOpenError(
          path, error.rawValue == ENOTTY ? notATerminal : "cannot take exclusive use",
          call: "ioctl(TIOCEXCL)", errno: error)
      }
    }

    private static let notATerminal = "not a terminal (a serial port or pty)"

    /// Configures, verifies and flushes a locked port.
    private static func configure(
      _ descriptor: CInt, path: String, _ configuration: SerialConfiguration,
      _ systemCalls: SerialSystemCalls
    ) throws(SerialOpenError) {
      let wanted: termios
      do {
        wanted = configuration.terminalAttributes(
          from: try systemCalls.getAttributes(descriptor))
      } catch {
        throw SerialOpenError(
          path, error.rawValue == ENOTTY ? notATerminal : "cannot read the line settings",
          call: "tcgetattr", errno: error)
      }
      do {
        try systemCalls.setAttributes(descriptor, wanted)
      } catch {
        throw SerialOpenError(
          path, "line settings \(configuration.summary) refused", call: "tcsetattr", errno: error)
      }
      if configuration.standardSpeed == nil {
        try setCustomSpeed(descriptor, path: path, configuration, systemCalls)
      }
      let actual: termios
      do {
        actual = try systemCalls.getAttributes(descriptor)
      } catch {
        throw SerialOpenError(
          path, "cannot read the line settings back", call: "tcgetattr", errno: error)
      }
      if let mismatch = configuration.mismatch(wanted: wanted, actual: actual) {
        throw SerialOpenError(
          kind: .invalidValue,
          message: "\(path): line settings \(configuration.summary) did not stick: the driver "
            + "kept \(mismatch)")
      }
      if configuration.dropDTROnOpen {
        var bits = TIOCM_DTR
        do {
          try systemCalls.ioctl(descriptor, UInt(TIOCMBIC), &bits)
        } catch {
          // A pty has no modem lines.
          if error.rawValue != ENOTTY {
            throw SerialOpenError(path, "cannot lower DTR", call: "ioctl(TIOCMBIC)", errno: error)
          }
        }
      }
      do {
        try systemCalls.flush(descriptor, TCIFLUSH)
      } catch {
        throw SerialOpenError(path, "cannot discard stale input", call: "tcflush", errno: error)
      }
    }

    /// Sets a rate that has no `Bnnn` code with `termios2` and `BOTHER`, and reads it back.
    private static func setCustomSpeed(
      _ descriptor: CInt, path: String, _ configuration: SerialConfiguration,
      _ systemCalls: SerialSystemCalls
    ) throws(SerialOpenError) {
      let rate = UInt32(clamping: configuration.baudRate)
      do {
        var attributes = try systemCalls.getAttributes2(descriptor)
        attributes.controlFlags &=
          ~(Termios2.speedMask | Termios2.speedMask << Termios2.inputSpeedShift)
        attributes.controlFlags |= Termios2.otherSpeed  // CIBAUD 0: input speed = output speed.
        attributes.inputSpeed = rate
        attributes.outputSpeed = rate
        try systemCalls.setAttributes2(descriptor, attributes)
      } catch {
        throw SerialOpenError(
          path, "custom baud rate \(rate) refused", call: "ioctl(TCSETS2)", errno: error,
          kind: error.rawValue == EINVAL || error.rawValue == ENOTTY ? .invalidValue : nil)
      }
      let actual: Termios2
      do {
        actual = try systemCalls.getAttributes2(descriptor)
      } catch {
        throw SerialOpenError(
          path, "cannot read the baud rate back", call: "ioctl(TCGETS2)", errno: error)
      }
      if actual.outputSpeed != rate {
        throw SerialOpenError(
          kind: .invalidValue,
          message: "\(path): custom baud rate \(rate) did not stick: the driver set "
            + "\(actual.outputSpeed)")
      }
    }

    /// Writes every byte before the deadline; see ``ByteStream/write(_:deadlineNanoseconds:)``.
    public func write(_ bytes: [UInt8], deadlineNanoseconds: UInt64) throws(FaultKind) {
      try stream.write(bytes, deadlineNanoseconds: deadlineNanoseconds)
    }

    /// Reads one LF-terminated line before the deadline; see
    /// ``ByteStream/readLine(maximumBytes:deadlineNanoseconds:)``.
    public func readLine(maximumBytes: Int, deadlineNanoseconds: UInt64) throws(FaultKind)
      -> [UInt8]
    {
      try stream.readLine(maximumBytes: maximumBytes, deadlineNanoseconds: deadlineNanoseconds)
    }

    /// Reads the bytes that are there, at least one; see
    /// ``ByteStream/readBytes(deadlineNanoseconds:)``.
    public func readBytes(deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8] {
      try stream.readBytes(deadlineNanoseconds: deadlineNanoseconds)
    }

    /// Discards input already received or buffered.
    public func discardInput() { stream.discardInput() }

    /// Closes the port (idempotent), first giving up exclusive use
    /// (`TIOCNXCL`: a pty slave kept open elsewhere would otherwise stay
    /// exclusive); the lock goes with the descriptor.
    public func close() {
      if !stream.isClosed { try? systemCalls.ioctl(stream.descriptor, UInt(TIOCNXCL), nil) }
      stream.close()
    }
  }
#endif
