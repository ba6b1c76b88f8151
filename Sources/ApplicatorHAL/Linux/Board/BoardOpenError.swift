#if canImport(Glibc)
  import ApplicatorHAL
  /// A device of a board description that could not be found or opened:
  /// the path involved, the fault, and a sentence for the operator.
  public struct BoardOpenError: Error, Sendable, Equatable {
    /// The kernel path that failed (a sysfs attribute, `/dev/gpiochip0`).
    public var path: String
    /// What went wrong, as the shared fault kind.
    public var fault: FaultKind
    /// A sentence naming the device and the cause.
    public var message: String

    /// Creates an error.
    public init(path: String, fault: FaultKind, message: String) {
      self.path = path
      self.fault = fault
      self.message = message
    }

    /// An error from a failed call on `path`.
    init(path: String, errno: BoardErrno, doing action: String) {
      self.init(path: path, fault: errno.fault, message: "\(path): \(action) failed: \(errno.name)")
    }

    /// Whether the device the description names is absent: no such chip,
    /// file, channel or line (the board is not wired as described; exit 74,
    /// like any device that cannot be opened).
    public var isAbsent: Bool { fault == .notFound || fault == .outOfRange }

    /// Whether a device that exists reported something that cannot be used
    /// (text that is not a number, an interval above the limit, two chips
    /// with one name, a timeout it cannot set): bad data, exit 65.
    public var isBadDescription: Bool { fault == .invalidValue }
  }
#endif
