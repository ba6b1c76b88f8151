#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A TCP byte stream (ser2net-style raw TCP), `tcp://host:port`.
  ///
  /// For rigs shared over the network by a serial server (ser2net in raw
  /// mode, a Moxa NPort in TCP server mode): the bytes are the serial line's,
  /// with no telnet/RFC 2217 negotiation. Nagle's algorithm is off
  /// (`TCP_NODELAY`), so a short command goes out at once. A peer that closes
  /// or resets shows as ``FaultKind/disconnected``; writes use
  /// `send(MSG_NOSIGNAL)`, so a closed peer never raises `SIGPIPE`.
  /// Not thread-safe.
  public final class TCPStream: ByteStream {
    private let stream: DescriptorStream

    /// Connects to `tcp://host:port`, waiting at most `connectTimeoutNanoseconds`.
    ///
    /// HOST is an IPv4 dotted quad or `localhost`; host names are not
    /// resolved (a DNS lookup cannot be bounded by a deadline) and IPv6 is not
    /// supported. The connect is non-blocking and waited for with `poll`.
    ///
    /// - Throws: ``SerialOpenError`` quoting the URL: ``FaultKind/invalidValue``
    ///   for a URL outside that form, ``FaultKind/notFound`` when nothing
    ///   listens (`ECONNREFUSED`) or the host is unreachable,
    ///   ``FaultKind/timedOut`` when the connection is not up in time.
    public convenience init(url: String, connectTimeoutNanoseconds: UInt64) throws(SerialOpenError)
    {
      try self.init(
        url: url, connectTimeoutNanoseconds: connectTimeoutNanoseconds, systemCalls: .posix)
    }

    /// Checks a `tcp://HOST:PORT` URL without connecting: what ``init(url:connectTimeoutNanoseconds:)``
    /// would refuse before opening anything.
    public static func checkURL(_ url: String) throws(SerialOpenError) {
      _ = try TCPEndpoint(parsing: url, allowsPortZero: false)
    }

    /// Connects through the given system calls.
    convenience init(
      url: String, connectTimeoutNanoseconds: UInt64, systemCalls: SerialSystemCalls
    ) throws(SerialOpenError) {
      let endpoint = try TCPEndpoint(parsing: url, allowsPortZero: false)
      let (sum, overflow) = systemCalls.monotonicNanoseconds().addingReportingOverflow(
        connectTimeoutNanoseconds)
      let deadline = overflow ? UInt64.max : sum
      let descriptor: CInt
      do {
        descriptor = try systemCalls.socket(
          AF_INET, CInt(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
      } catch {
        throw SerialOpenError(url, "cannot create a socket", call: "socket", errno: error)
      }
      do {
        try Self.connect(descriptor, to: endpoint, subject: url, deadline, systemCalls)
      } catch {
        systemCalls.close(descriptor)
        throw error
      }
      self.init(descriptor: descriptor, systemCalls: systemCalls)
    }

    /// Wraps a connected, non-blocking socket (from ``TCPListener/accept(deadlineNanoseconds:)``).
    init(descriptor: CInt, systemCalls: SerialSystemCalls) {
      // Without it a short reply may wait for an ACK; a failure costs latency only.
      try? systemCalls.setSocketOption(descriptor, CInt(IPPROTO_TCP), TCP_NODELAY, 1)
      stream = DescriptorStream(descriptor: descriptor, kind: .socket, systemCalls: systemCalls)
    }

    /// A non-blocking connect, waited for with `poll` until the deadline.
    private static func connect(
      _ descriptor: CInt, to endpoint: TCPEndpoint, subject: String, _ deadline: UInt64,
      _ systemCalls: SerialSystemCalls
    ) throws(SerialOpenError) {
      let what = "cannot connect to \(endpoint.description)"
      do {
        try systemCalls.connect(descriptor, endpoint.socketAddress)
        return
      } catch {
        // EINTR: the connection goes on in the background, as with EINPROGRESS.
        guard error.rawValue == EINPROGRESS || error.rawValue == EINTR else {
          throw SerialOpenError(subject, what, call: "connect", errno: error)
        }
      }
      do {
        _ = try systemCalls.waitFor(
          Int16(POLLOUT), on: descriptor, deadlineNanoseconds: deadline)
      } catch {
        throw SerialOpenError(
          kind: error,
          message: "\(subject): \(what): "
            + (error == .timedOut ? "no connection before the timeout" : "poll failed"))
      }
      let pending: CInt
      do {
        pending = try systemCalls.pendingSocketError(descriptor)
      } catch {
        throw SerialOpenError(subject, what, call: "getsockopt(SO_ERROR)", errno: error)
      }
      if pending != 0 {
        throw SerialOpenError(
          subject, what, call: "connect", errno: SerialSystemCalls.Errno(pending))
      }
    }

    deinit { stream.close() }

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

    /// Closes the connection (idempotent).
    public func close() { stream.close() }
  }
#endif
