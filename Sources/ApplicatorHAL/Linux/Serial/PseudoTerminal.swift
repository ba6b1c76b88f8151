#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A pseudo-terminal pair for emulating a device: the emulator talks on `master`; a host program opens `slavePath` as a serial port.
  ///
  /// ```swift
  /// let rig = try PseudoTerminal()
  /// try rig.link(at: "/tmp/rig0")          // optional: a stable name
  /// let host = try SerialPort(path: rig.slavePath)
  /// // the emulator answers on rig.master
  /// ```
  ///
  /// The slave is put in raw mode, so every byte value passes both ways
  /// unchanged. The pair keeps a slave descriptor of its own: without one,
  /// `read` on the master fails with `EIO` whenever no host has the slave
  /// open (before the first open, between a close and a re-open). Closing
  /// the pair is what a USB unplug looks like to the host: its reads and
  /// writes throw ``FaultKind/disconnected``. Not thread-safe.
  public final class PseudoTerminal {
    /// The slave device (`/dev/pts/N`), for the host to open.
    public let slavePath: String
    private let masterStream: DescriptorStream
    private var keptSlave: CInt
    private var links: [String] = []
    private let systemCalls: SerialSystemCalls

    /// Opens a pair (openpty), raw mode on the slave (cfmakeraw), master
    /// non-blocking, both close-on-exec.
    ///
    /// - Throws: ``SerialOpenError`` when no pty is available or it cannot be set up.
    public convenience init() throws(SerialOpenError) {
      try self.init(systemCalls: .posix)
    }

    /// Opens a pair through the given system calls.
    init(systemCalls: SerialSystemCalls) throws(SerialOpenError) {
      let pair: (master: CInt, slave: CInt)
      do {
        pair = try systemCalls.openPseudoTerminal()
      } catch {
        throw SerialOpenError("pseudo-terminal", "cannot open", call: "openpty", errno: error)
      }
      var step = "fcntl"
      do {
        for descriptor in [pair.master, pair.slave] {
          _ = try systemCalls.fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        let flags = try systemCalls.fcntl(pair.master, F_GETFL, 0)
        _ = try systemCalls.fcntl(pair.master, F_SETFL, flags | O_NONBLOCK)
        step = "ttyname_r"
        slavePath = try systemCalls.terminalName(pair.slave)
        step = "tcsetattr"
        var attributes = try systemCalls.getAttributes(pair.slave)
        cfmakeraw(&attributes)
        try systemCalls.setAttributes(pair.slave, attributes)
      } catch {
        systemCalls.close(pair.master)
        systemCalls.close(pair.slave)
        throw SerialOpenError("pseudo-terminal", "cannot set up", call: step, errno: error)
      }
      keptSlave = pair.slave
      self.systemCalls = systemCalls
      masterStream = DescriptorStream(
        descriptor: pair.master, kind: .terminal, systemCalls: systemCalls)
    }

    deinit { close() }

    /// The kept slave descriptor (-1 once closed), for tests that inspect the slave's settings.
    var slaveDescriptor: CInt { keptSlave }

    /// A ByteStream over the master fd: what the emulated device reads and writes.
    ///
    /// Throws ``FaultKind/disconnected`` after ``close()``.
    public var master: any ByteStream { masterStream }

    /// Symlinks `path` to the slave (replacing an existing symlink, never a regular file); removed by close().
    ///
    /// - Throws: ``SerialOpenError`` with ``FaultKind/invalidValue`` when
    ///   `path` exists and is not a symbolic link, or the pair is closed;
    ///   the errno's kind when the link cannot be made.
    public func link(at path: String) throws(SerialOpenError) {
      guard !masterStream.isClosed else {
        throw SerialOpenError(
          kind: .invalidValue, message: "\(path): the pseudo-terminal is closed")
      }
      let existingType: mode_t?
      do {
        existingType = try systemCalls.fileType(path)
      } catch {
        guard error.rawValue == ENOENT else {
          throw SerialOpenError(path, "cannot inspect", call: "lstat", errno: error)
        }
        existingType = nil
      }
      if let existingType {
        guard existingType == mode_t(S_IFLNK) else {
          throw SerialOpenError(
            kind: .invalidValue,
            message: "\(path): exists and is not a symbolic link; not replaced")
        }
        do {
          try systemCalls.unlink(path)
        } catch {
          throw SerialOpenError(path, "cannot replace the old link", call: "unlink", errno: error)
        }
      }
      do {
        try systemCalls.symlink(slavePath, path)
      } catch {
        throw SerialOpenError(
          path, "cannot link to \(slavePath)", call: "symlink", errno: error)
      }
      links.append(path)
    }

    /// Closes the master (what a USB unplug looks like to the host) and the kept slave fd.
    ///
    /// Also removes the links made by ``link(at:)`` that still point to this
    /// slave. Idempotent.
    public func close() {
      masterStream.close()
      if keptSlave >= 0 {
        systemCalls.close(keptSlave)
        keptSlave = -1
      }
      for path in links where (try? systemCalls.readLink(path)) == slavePath {
        try? systemCalls.unlink(path)
      }
      links.removeAll()
    }
  }
#endif
