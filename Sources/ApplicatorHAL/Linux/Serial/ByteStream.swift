#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A bidirectional byte stream with deadlines: a serial port, a pty master, or a TCP connection.
  ///
  /// Every wait is bounded by an absolute deadline in `CLOCK_MONOTONIC`
  /// nanoseconds (``MonotonicClock/rawNanoseconds()``), so a caller budgets a
  /// whole exchange once instead of per call. A deadline already in the past
  /// still takes what the kernel holds right now (a zero-timeout `poll`), so
  /// `deadlineNanoseconds: 0` is a non-blocking attempt.
  ///
  /// A closed stream (``close()``) throws ``FaultKind/disconnected`` from
  /// ``write(_:deadlineNanoseconds:)`` and ``readLine(maximumBytes:deadlineNanoseconds:)``.
  ///
  /// Implementations are not thread-safe: use one stream from one thread at a
  /// time (hand it over with your own synchronisation).
  public protocol ByteStream: AnyObject {
    /// Writes every byte before the deadline (CLOCK_MONOTONIC ns), handling partial writes and EINTR/EAGAIN with poll().
    /// Throws .timedOut at the deadline, .disconnected when the peer is gone (EIO, EPIPE, ECONNRESET, POLLHUP/POLLERR), .io otherwise.
    ///
    /// After `.timedOut` a prefix of `bytes` may already have gone out.
    func write(_ bytes: [UInt8], deadlineNanoseconds: UInt64) throws(FaultKind)
    /// Reads one line ending in LF; a CR right before the LF is dropped; the terminator is not returned.
    /// Throws .timedOut at the deadline (bytes of a partial line stay buffered for the next call),
    /// .disconnected on hang-up (POLLIN then read()==0, POLLHUP, POLLERR, EIO),
    /// .outOfRange when the line exceeds `maximumBytes` before its LF (the rest of that line, up to and including its LF, is discarded so the next call starts clean).
    ///
    /// `maximumBytes` counts the line without its terminator; a negative value
    /// counts as zero. Bytes are returned as received: no text decoding.
    func readLine(maximumBytes: Int, deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8]
    /// Reads whatever bytes are there, at least one, for a protocol without line
    /// terminators (MeCom frames end in CR): bytes already buffered by an earlier
    /// ``readLine(maximumBytes:deadlineNanoseconds:)`` first, else what one `read`
    /// returns once the stream is readable. Throws .timedOut when nothing came by the
    /// deadline, .disconnected on hang-up, as ``readLine(maximumBytes:deadlineNanoseconds:)``.
    func readBytes(deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8]
    /// Discards input already received or buffered.
    ///
    /// Also forgets a partly discarded overlong line, so the next read starts
    /// with whatever arrives after this call.
    func discardInput()
    /// Closes the stream (idempotent).
    func close()
  }
#endif
