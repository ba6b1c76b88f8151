#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// An `errno` value from a failed call through a ``BoardIO``.
  public struct BoardErrno: Error, Equatable, Sendable {
    /// The C value (`EIO`, `ENODATA`, ...).
    public var rawValue: CInt

    /// Wraps a C value.
    public init(_ rawValue: CInt) { self.rawValue = rawValue }

    /// The symbolic name (`EAGAIN`), `ENODATA` and `EREMOTEIO` included.
    public var name: String {
      switch rawValue {
      case ENODATA: "ENODATA"
      case EREMOTEIO: "EREMOTEIO"
      case ERANGE: "ERANGE"
      default: SerialSystemCalls.Errno(rawValue).name
      }
    }

    /// The fault a failed sysfs, GPIO or watchdog call maps to (io.md: one
    /// bad channel is a typed fault, never a crash).
    public var fault: FaultKind {
      switch rawValue {
      case ENOENT, ENODEV, ENXIO, ENOTDIR: .notFound
      case EACCES, EPERM, EROFS: .permissionDenied
      case EAGAIN: .temporarilyUnavailable
      case ENODATA: .noData
      case EIO, EREMOTEIO: .io
      case EINVAL: .invalidValue
      case EBUSY: .busy
      case ETIMEDOUT: .timedOut
      case ERANGE, EOVERFLOW: .outOfRange
      default: .io
      }
    }
  }
#endif
