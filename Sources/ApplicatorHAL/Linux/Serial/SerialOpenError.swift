#if canImport(Glibc)
  import ApplicatorHAL
  /// A failure to open or configure a port: the kind plus a message naming the path and errno.
  ///
  /// Thrown by the initialisers of ``SerialPort``, ``TCPStream``,
  /// ``TCPListener`` and ``PseudoTerminal``. The message is complete enough
  /// to show an operator as it is, for example
  /// `/dev/ttyUSB0: in use by another program (flock: EAGAIN (Resource temporarily unavailable))`.
  public struct SerialOpenError: Error, Sendable {
    /// The fault, for code that reacts to it (``FaultKind/busy``, ``FaultKind/notFound``, ...).
    public var kind: FaultKind
    /// What failed, naming the path or URL, the step and the errno.
    public var message: String

    /// Creates an error.
    public init(kind: FaultKind, message: String) {
      self.kind = kind
      self.message = message
    }

    /// A failed system call: `subject: what (call: ERRNO (text))`, with the
    /// kind from the errno unless given.
    init(
      _ subject: String, _ what: String, call: String, errno: SerialSystemCalls.Errno,
      kind: FaultKind? = nil
    ) {
      self.init(
        kind: kind ?? errno.openFault,
        message: "\(subject): \(what) (\(call): \(errno.description))")
    }
  }

  extension SerialOpenError: CustomStringConvertible {
    /// The message.
    public var description: String { message }
  }
#endif
