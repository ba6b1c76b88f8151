#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A ``ByteStream`` over one non-blocking file descriptor: the engine behind
  /// ``SerialPort``, ``TCPStream`` and ``PseudoTerminal/master``.
  ///
  /// Reads wait with `poll` first and then `read`, as pyserial does: on a
  /// terminal with `VMIN = VTIME = 0`, `read` returns 0 both for "no data"
  /// and for a hung-up line, so only "`poll` said readable, then `read`
  /// returned 0" means the device is gone. Writes try first and `poll` for
  /// room only on `EAGAIN`. Every system call goes through
  /// ``SerialSystemCalls``.
  final class DescriptorStream: ByteStream {
    /// What the descriptor is, which decides how to write and flush.
    enum Kind {
      /// A terminal (serial port, pty): `write`, and `tcflush` for input.
      case terminal
      /// A socket: `send(MSG_NOSIGNAL)`, so a closed peer gives `EPIPE`, not `SIGPIPE`.
      case socket
    }

    /// The bytes read per `read` call.
    static let readChunkBytes = 4096
    /// The most bytes ``discardInput()`` drains, so a device that never stops
    /// talking cannot hold the caller.
    static let discardLimitBytes = 256 * 1024

    /// The descriptor, or -1 once closed.
    private(set) var descriptor: CInt
    /// What the descriptor is.
    let kind: Kind
    private let systemCalls: SerialSystemCalls
    private var lines = LineAssembler()

    /// Takes ownership of `descriptor`, which must already be non-blocking.
    init(descriptor: CInt, kind: Kind, systemCalls: SerialSystemCalls) {
      self.descriptor = descriptor
      self.kind = kind
      self.systemCalls = systemCalls
    }

    deinit { close() }

    /// Whether ``close()`` has run.
    var isClosed: Bool { descriptor < 0 }

    func write(_ bytes: [UInt8], deadlineNanoseconds: UInt64) throws(FaultKind) {
      guard descriptor >= 0 else { throw .disconnected }
      var offset = 0
      while offset < bytes.count {
        let result = bytes.withUnsafeBytes { all in
          Result { () throws(SerialSystemCalls.Errno) -> Int in
            let rest = UnsafeRawBufferPointer(rebasing: all[offset...])
            return kind == .socket
              ? try systemCalls.send(descriptor, rest) : try systemCalls.write(descriptor, rest)
          }
        }
        switch result {
        case .success(let written) where written > 0:
          offset += min(written, bytes.count - offset)
          continue
        case .success:
          break  // Nothing taken: wait for room.
        case .failure(let error) where error.rawValue == EINTR:
          continue
        case .failure(let error) where error.rawValue == EAGAIN:
          break
        case .failure(let error):
          throw error.streamFault
        }
        let revents = try systemCalls.waitFor(
          Int16(POLLOUT), on: descriptor, deadlineNanoseconds: deadlineNanoseconds)
        if revents & Int16(POLLNVAL) != 0 { throw .io }
        if revents & Int16(POLLOUT) == 0 { throw .disconnected }  // POLLHUP or POLLERR alone.
      }
    }

    func readLine(maximumBytes: Int, deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8] {
      while true {
        switch lines.next(maximumBytes: maximumBytes) {
        case .line(let line): return line
        case .overlong: throw .outOfRange
        case .needMore: try receive(deadlineNanoseconds: deadlineNanoseconds)
        }
      }
    }

    func readBytes(deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8] {
      while true {
        let buffered = lines.takeAll()
        if !buffered.isEmpty { return buffered }
        try receive(deadlineNanoseconds: deadlineNanoseconds)
      }
    }

    /// Waits for input until the deadline and appends what one `read` returns.
    private func receive(deadlineNanoseconds: UInt64) throws(FaultKind) {
      guard descriptor >= 0 else { throw .disconnected }
      let revents = try systemCalls.waitFor(
        Int16(POLLIN), on: descriptor, deadlineNanoseconds: deadlineNanoseconds)
      if revents & Int16(POLLNVAL) != 0 { throw .io }
      // Hang-up with data still queued (a TCP peer's last words) is read first.
      guard revents & Int16(POLLIN) != 0 else { throw .disconnected }
      while true {
        let result = withUnsafeTemporaryAllocation(
          byteCount: Self.readChunkBytes, alignment: 1
        ) { buffer in
          Result { () throws(SerialSystemCalls.Errno) -> Int in
            let count = try systemCalls.read(descriptor, buffer)
            lines.append(UnsafeRawBufferPointer(rebasing: buffer[..<min(count, buffer.count)]))
            return count
          }
        }
        switch result {
        case .success(0): throw .disconnected  // Readable, yet nothing: the device is gone.
        case .success: return
        case .failure(let error) where error.rawValue == EINTR: continue
        case .failure(let error) where error.rawValue == EAGAIN: return  // Spurious wake-up.
        case .failure(let error): throw error.streamFault
        }
      }
    }

    func discardInput() {
      lines.reset()
      guard descriptor >= 0 else { return }
      if kind == .terminal { try? systemCalls.flush(descriptor, TCIFLUSH) }
      // Bytes still in flight (flip buffers, a socket's receive queue).
      var drained = 0
      while drained < Self.discardLimitBytes {
        guard let revents = try? systemCalls.poll(descriptor, Int16(POLLIN), 0),
          revents & Int16(POLLIN) != 0
        else { return }
        let count = withUnsafeTemporaryAllocation(byteCount: Self.readChunkBytes, alignment: 1) {
          (try? systemCalls.read(descriptor, $0)) ?? 0
        }
        // End of file or an error: leave it for the next read to report.
        guard count > 0 else { return }
        drained += count
      }
    }

    func close() {
      lines.reset()
      guard descriptor >= 0 else { return }
      systemCalls.close(descriptor)
      descriptor = -1
    }
  }
#endif
