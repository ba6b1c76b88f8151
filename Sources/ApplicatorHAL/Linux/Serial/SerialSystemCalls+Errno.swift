#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  extension SerialSystemCalls {
    /// An `errno` value from a failed system call.
    struct Errno: Error, Equatable, Sendable {
      /// The C value (`EIO`, `EAGAIN`, ...).
      var rawValue: CInt

      /// Wraps a C value.
      init(_ rawValue: CInt) { self.rawValue = rawValue }

      /// Returns `result`, or throws the current `errno` when it is negative.
      @inline(__always)
      static func check<Result: BinaryInteger>(_ result: Result) throws(Errno) -> Result {
        if result < 0 { throw Errno(Glibc.errno) }
        return result
      }

      /// Runs `body` again while it fails with `EINTR`.
      static func retryingInterrupts<Result>(
        _ body: () throws(Errno) -> Result
      ) throws(Errno) -> Result {
        while true {
          do {
            return try body()
          } catch {
            if error.rawValue != EINTR { throw error }
          }
        }
      }

      /// The symbolic name (`EAGAIN`) of the common values, `errno N` for the rest.
      var name: String {
        switch rawValue {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case ENXIO: "ENXIO"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case EINVAL: "EINVAL"
        case EMFILE: "EMFILE"
        case ENOTTY: "ENOTTY"
        case EROFS: "EROFS"
        case EPIPE: "EPIPE"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ELOOP: "ELOOP"
        case EPROTO: "EPROTO"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ENETDOWN: "ENETDOWN"
        case ENETUNREACH: "ENETUNREACH"
        case ECONNABORTED: "ECONNABORTED"
        case ECONNRESET: "ECONNRESET"
        case ENOTCONN: "ENOTCONN"
        case ESHUTDOWN: "ESHUTDOWN"
        case ETIMEDOUT: "ETIMEDOUT"
        case ECONNREFUSED: "ECONNREFUSED"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case EINPROGRESS: "EINPROGRESS"
        default: "errno \(rawValue)"
        }
      }

      /// The name and the C library's description, for messages: `EBUSY (Device or resource busy)`.
      var description: String {
        guard let text = strerror(rawValue) else { return name }
        return "\(name) (\(String(cString: text)))"
      }

      /// The fault a failed read or write on an open stream maps to: the peer
      /// being gone is ``FaultKind/disconnected``, anything else ``FaultKind/io``.
      var streamFault: FaultKind {
        switch rawValue {
        case EIO, EPIPE, ECONNRESET, ECONNABORTED, ENOTCONN, ESHUTDOWN, ENXIO, ENODEV, ETIMEDOUT,
          EHOSTUNREACH, ENETUNREACH, ENETDOWN:
          .disconnected
        default: .io
        }
      }

      /// The fault a failed open, configure or connect maps to.
      var openFault: FaultKind {
        switch rawValue {
        case ENOENT, ENODEV, ENXIO, ENOTDIR, ECONNREFUSED, EHOSTUNREACH, ENETUNREACH: .notFound
        case EACCES, EPERM, EROFS: .permissionDenied
        case EBUSY, EADDRINUSE: .busy
        case EAGAIN: .temporarilyUnavailable
        case EINVAL, ENOTTY, EADDRNOTAVAIL: .invalidValue
        case ETIMEDOUT: .timedOut
        default: .io
        }
      }
    }
  }
#endif
