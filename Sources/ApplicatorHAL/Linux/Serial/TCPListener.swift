#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A listening TCP socket for the rig emulator side.
  ///
  /// Plays the part of a serial server: the emulator accepts a connection
  /// and talks on the ``TCPStream`` it gets. `SO_REUSEADDR` is set, so a
  /// restarted emulator can bind its port again at once. Not thread-safe.
  public final class TCPListener {
    private var descriptor: CInt
    private let boundPort: Int
    private let systemCalls: SerialSystemCalls

    /// Listens on `tcp://ADDR:PORT`; port 0 picks a free port (see ``port``).
    ///
    /// ADDR is an IPv4 dotted quad (`0.0.0.0` for every interface,
    /// `127.0.0.1` for this machine only) or `localhost`.
    ///
    /// - Throws: ``SerialOpenError`` quoting the URL: ``FaultKind/invalidValue``
    ///   for a bad URL or an address that is not this machine's,
    ///   ``FaultKind/busy`` when the port is taken.
    public convenience init(url: String) throws(SerialOpenError) {
      try self.init(url: url, systemCalls: .posix)
    }

    /// Checks a `tcp://ADDR:PORT` URL without listening (port 0 allowed).
    public static func checkURL(_ url: String) throws(SerialOpenError) {
      _ = try TCPEndpoint(parsing: url, allowsPortZero: true)
    }

    /// Listens through the given system calls.
    init(url: String, systemCalls: SerialSystemCalls) throws(SerialOpenError) {
      let endpoint = try TCPEndpoint(parsing: url, allowsPortZero: true)
      let descriptor: CInt
      do {
        descriptor = try systemCalls.socket(
          AF_INET, CInt(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
      } catch {
        throw SerialOpenError(url, "cannot create a socket", call: "socket", errno: error)
      }
      do {
        try systemCalls.setSocketOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1)
        try systemCalls.bind(descriptor, endpoint.socketAddress)
        try systemCalls.listen(descriptor, 16)
        boundPort = Int(UInt16(bigEndian: try systemCalls.localAddress(descriptor).sin_port))
      } catch {
        systemCalls.close(descriptor)
        throw SerialOpenError(
          url, "cannot listen on \(endpoint.description)", call: "bind/listen", errno: error)
      }
      self.descriptor = descriptor
      self.systemCalls = systemCalls
    }

    deinit { close() }

    /// The bound port (the one picked when the URL asked for port 0).
    public var port: Int { boundPort }

    /// Waits for a connection until the deadline (CLOCK_MONOTONIC ns) and returns it.
    ///
    /// - Throws: ``FaultKind/timedOut`` at the deadline,
    ///   ``FaultKind/disconnected`` once the listener is closed,
    ///   ``FaultKind/io`` for other failures (`EMFILE`, ...).
    public func accept(deadlineNanoseconds: UInt64) throws(FaultKind) -> TCPStream {
      while true {
        guard descriptor >= 0 else { throw .disconnected }
        let result = Result { () throws(SerialSystemCalls.Errno) in
          try systemCalls.accept(descriptor)
        }
        switch result {
        case .success(let connection):
          return try adopt(connection)
        case .failure(let error) where error.rawValue == EAGAIN:
          break  // Nobody yet: wait.
        case .failure(let error)
        where [EINTR, ECONNABORTED, EPROTO].contains(error.rawValue):
          continue  // Interrupted, or the client gave up before we took it.
        case .failure:
          throw .io
        }
        let revents = try systemCalls.waitFor(
          Int16(POLLIN), on: descriptor, deadlineNanoseconds: deadlineNanoseconds)
        if revents & Int16(POLLIN) == 0 { throw .io }
      }
    }

    /// Makes an accepted socket close-on-exec and non-blocking (Glibc does
    /// not export `accept4`, and an accepted socket inherits neither flag).
    private func adopt(_ connection: CInt) throws(FaultKind) -> TCPStream {
      do {
        _ = try systemCalls.fcntl(connection, F_SETFD, FD_CLOEXEC)
        let flags = try systemCalls.fcntl(connection, F_GETFL, 0)
        _ = try systemCalls.fcntl(connection, F_SETFL, flags | O_NONBLOCK)
      } catch {
        systemCalls.close(connection)
        throw .io
      }
      return TCPStream(descriptor: connection, systemCalls: systemCalls)
    }

    /// Stops listening (idempotent); accepted streams stay open.
    public func close() {
      guard descriptor >= 0 else { return }
      systemCalls.close(descriptor)
      descriptor = -1
    }
  }
#endif
