#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// The thin syscall shim every serial, pty and TCP stream goes through.
  ///
  /// Each member is one system call (or one libc wrapper of one), with no
  /// retry and no policy: `EINTR`, `EAGAIN` and partial transfers are the
  /// caller's business, and a failure is the call's `errno` as a typed
  /// ``Errno``. ``posix`` is the real implementation; tests replace single
  /// members to play errno sequences a real pty cannot produce (a write that
  /// returns `EAGAIN`, a partial write of one byte, `EINTR` from `poll`).
  struct SerialSystemCalls {
    // MARK: Time

    /// `clock_gettime(CLOCK_MONOTONIC)`, ns; deadlines are measured on it.
    var monotonicNanoseconds: () -> UInt64

    // MARK: Descriptors

    /// `open(path, flags)`, returning the descriptor.
    var open: (_ path: String, _ flags: CInt) throws(Errno) -> CInt
    /// `close(fd)`; errors are not reported (the descriptor is gone either way on Linux).
    var close: (_ descriptor: CInt) -> Void
    /// `read(fd, buffer, count)`, returning the byte count (0 at end of file).
    var read: (_ descriptor: CInt, _ buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int
    /// `write(fd, buffer, count)`, returning the byte count written.
    var write: (_ descriptor: CInt, _ buffer: UnsafeRawBufferPointer) throws(Errno) -> Int
    /// `send(fd, buffer, count, MSG_NOSIGNAL)`: a socket write that gives `EPIPE` instead of `SIGPIPE`.
    var send: (_ descriptor: CInt, _ buffer: UnsafeRawBufferPointer) throws(Errno) -> Int
    /// `poll` on one descriptor, returning `revents` (0 when the timeout expired).
    var poll:
      (_ descriptor: CInt, _ events: Int16, _ timeoutMilliseconds: CInt) throws(Errno) -> Int16
    /// `fcntl(fd, command, argument)`, returning its result.
    var fcntl: (_ descriptor: CInt, _ command: CInt, _ argument: CInt) throws(Errno) -> CInt
    /// `flock(fd, operation)`.
    var flock: (_ descriptor: CInt, _ operation: CInt) throws(Errno) -> Void
    /// `ioctl(fd, request, argument)`; a nil argument passes none.
    var ioctl:
      (_ descriptor: CInt, _ request: UInt, _ argument: UnsafeMutableRawPointer?) throws(Errno) ->
        Void

    // MARK: Terminals

    /// `tcgetattr(fd)`.
    var getAttributes: (_ descriptor: CInt) throws(Errno) -> termios
    /// `tcsetattr(fd, TCSANOW, attributes)`.
    var setAttributes: (_ descriptor: CInt, _ attributes: termios) throws(Errno) -> Void
    /// `tcflush(fd, queue)`.
    var flush: (_ descriptor: CInt, _ queue: CInt) throws(Errno) -> Void
    /// `openpty`, returning the master and slave descriptors.
    var openPseudoTerminal: () throws(Errno) -> (master: CInt, slave: CInt)
    /// `ttyname_r(fd)`: the device path of a terminal descriptor.
    var terminalName: (_ descriptor: CInt) throws(Errno) -> String

    // MARK: Sockets

    /// `socket(domain, type, protocol)`.
    var socket: (_ domain: CInt, _ type: CInt, _ protocol: CInt) throws(Errno) -> CInt
    /// `setsockopt(fd, level, name, &value, sizeof(int))`.
    var setSocketOption:
      (_ descriptor: CInt, _ level: CInt, _ name: CInt, _ value: CInt) throws(Errno) -> Void
    /// `getsockopt(fd, SOL_SOCKET, SO_ERROR)`: the pending error of a socket (0 if none).
    var pendingSocketError: (_ descriptor: CInt) throws(Errno) -> CInt
    /// `connect(fd, address)`.
    var connect: (_ descriptor: CInt, _ address: sockaddr_in) throws(Errno) -> Void
    /// `bind(fd, address)`.
    var bind: (_ descriptor: CInt, _ address: sockaddr_in) throws(Errno) -> Void
    /// `listen(fd, backlog)`.
    var listen: (_ descriptor: CInt, _ backlog: CInt) throws(Errno) -> Void
    /// `accept(fd, nil, nil)`, returning the connection's descriptor.
    var accept: (_ descriptor: CInt) throws(Errno) -> CInt
    /// `getsockname(fd)` for an IPv4 socket.
    var localAddress: (_ descriptor: CInt) throws(Errno) -> sockaddr_in

    // MARK: Paths

    /// `lstat(path)`, returning the file type bits (`st_mode & S_IFMT`).
    var fileType: (_ path: String) throws(Errno) -> mode_t
    /// `symlink(target, path)`.
    var symlink: (_ target: String, _ path: String) throws(Errno) -> Void
    /// `readlink(path)`.
    var readLink: (_ path: String) throws(Errno) -> String
    /// `unlink(path)`.
    var unlink: (_ path: String) throws(Errno) -> Void
  }

  extension SerialSystemCalls {
    /// The real system calls.
    static var posix: SerialSystemCalls {
      SerialSystemCalls(
        monotonicNanoseconds: { MonotonicClock.rawNanoseconds() },
        open: { path, flags throws(Errno) in try Errno.check(Glibc.open(path, flags)) },
        close: { descriptor in _ = Glibc.close(descriptor) },
        read: { descriptor, buffer throws(Errno) in
          try Errno.check(Glibc.read(descriptor, buffer.baseAddress, buffer.count))
        },
        write: { descriptor, buffer throws(Errno) in
          try Errno.check(Glibc.write(descriptor, buffer.baseAddress, buffer.count))
        },
        send: { descriptor, buffer throws(Errno) in
          try Errno.check(
            Glibc.send(descriptor, buffer.baseAddress, buffer.count, CInt(MSG_NOSIGNAL)))
        },
        poll: { descriptor, events, timeoutMilliseconds throws(Errno) in
          var entry = pollfd(fd: descriptor, events: events, revents: 0)
          let ready = try Errno.check(Glibc.poll(&entry, 1, timeoutMilliseconds))
          return ready == 0 ? 0 : entry.revents
        },
        fcntl: { descriptor, command, argument throws(Errno) in
          try Errno.check(Glibc.fcntl(descriptor, command, argument))
        },
        flock: { descriptor, operation throws(Errno) in
          // The compound name picks the function over `struct flock`.
          _ = try Errno.check(Glibc.flock(_:_:)(descriptor, operation))
        },
        ioctl: { descriptor, request, argument throws(Errno) in
          if let argument {
            _ = try Errno.check(Glibc.ioctl(descriptor, request, argument))
          } else {
            _ = try Errno.check(Glibc.ioctl(descriptor, request))
          }
        },
        getAttributes: { descriptor throws(Errno) in
          var attributes = termios()
          _ = try Errno.check(Glibc.tcgetattr(descriptor, &attributes))
          return attributes
        },
        setAttributes: { descriptor, attributes throws(Errno) in
          var attributes = attributes
          _ = try Errno.check(Glibc.tcsetattr(descriptor, TCSANOW, &attributes))
        },
        flush: { descriptor, queue throws(Errno) in
          _ = try Errno.check(Glibc.tcflush(descriptor, queue))
        },
        openPseudoTerminal: { () throws(Errno) in
          var master: CInt = -1
          var slave: CInt = -1
          _ = try Errno.check(Glibc.openpty(&master, &slave, nil, nil, nil))
          return (master, slave)
        },
        terminalName: { descriptor throws(Errno) in
          var name = [CChar](repeating: 0, count: 256)
          let result = Glibc.ttyname_r(descriptor, &name, name.count)
          guard result == 0 else { throw Errno(result) }
          return String(
            decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        },
        socket: { domain, type, proto throws(Errno) in
          try Errno.check(Glibc.socket(domain, type, proto))
        },
        setSocketOption: { descriptor, level, name, value throws(Errno) in
          var value = value
          _ = try Errno.check(
            Glibc.setsockopt(
              descriptor, level, name, &value, socklen_t(MemoryLayout<CInt>.size)))
        },
        pendingSocketError: { descriptor throws(Errno) in
          var value: CInt = 0
          var length = socklen_t(MemoryLayout<CInt>.size)
          _ = try Errno.check(Glibc.getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &value, &length))
          return value
        },
        connect: { descriptor, address throws(Errno) in
          var address = address
          let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
              Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
          }
          _ = try Errno.check(result)
        },
        bind: { descriptor, address throws(Errno) in
          var address = address
          let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
              Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
          }
          _ = try Errno.check(result)
        },
        listen: { descriptor, backlog throws(Errno) in
          _ = try Errno.check(Glibc.listen(descriptor, backlog))
        },
        accept: { descriptor throws(Errno) in
          try Errno.check(Glibc.accept(descriptor, nil, nil))
        },
        localAddress: { descriptor throws(Errno) in
          var address = sockaddr_in()
          var length = socklen_t(MemoryLayout<sockaddr_in>.size)
          let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
              Glibc.getsockname(descriptor, $0, &length)
            }
          }
          _ = try Errno.check(result)
          return address
        },
        fileType: { path throws(Errno) in
          var status = stat()
          _ = try Errno.check(Glibc.lstat(path, &status))
          return status.st_mode & S_IFMT
        },
        symlink: { target, path throws(Errno) in
          _ = try Errno.check(Glibc.symlink(target, path))
        },
        readLink: { path throws(Errno) in
          var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
          let count = try Errno.check(Glibc.readlink(path, &target, target.count))
          return String(decoding: target.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        },
        unlink: { path throws(Errno) in _ = try Errno.check(Glibc.unlink(path)) }
      )
    }
  }
#endif
