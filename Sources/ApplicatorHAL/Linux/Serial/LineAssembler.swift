#if canImport(Glibc)
  import ApplicatorHAL
  /// Frames a byte stream into LF-terminated lines, with a length limit.
  ///
  /// Holds the bytes received but not yet returned. A CR right before the LF
  /// is dropped; any other CR, and every other byte value, is kept. A line
  /// longer than the limit is reported as soon as it is known to be too long
  /// (before its LF arrives), and the rest of it, up to and including its
  /// LF, is then skipped, so the next line starts clean and memory stays
  /// bounded by the limit plus one read.
  struct LineAssembler {
    /// What the buffered bytes give.
    enum Next: Equatable {
      /// A complete line, without its terminator.
      case line([UInt8])
      /// The current line is longer than the limit; its bytes are dropped.
      case overlong
      /// No complete line yet: read more.
      case needMore
    }

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    /// Bytes received and not yet returned or dropped.
    private(set) var pending: [UInt8] = []
    /// How many leading bytes of `pending` are known to hold no LF.
    private var scanned = 0
    /// Skipping the rest of an overlong line, up to and including its LF.
    private(set) var isSkippingOverlongLine = false

    /// Adds received bytes.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
      pending.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    mutating func append(_ bytes: [UInt8]) {
      pending.append(contentsOf: bytes)
    }

    /// Takes every buffered byte out, as received (a caller reading raw bytes).
    mutating func takeAll() -> [UInt8] {
      let bytes = pending
      reset()
      return bytes
    }

    /// Forgets everything buffered, including a partly skipped overlong line.
    mutating func reset() {
      pending.removeAll(keepingCapacity: true)
      scanned = 0
      isSkippingOverlongLine = false
    }

    /// Takes the next line out of the buffer, if there is one.
    ///
    /// - Parameter maximumBytes: the longest line accepted, terminator excluded.
    mutating func next(maximumBytes: Int) -> Next {
      let limit = max(0, maximumBytes)
      if isSkippingOverlongLine {
        guard let end = pending.firstIndex(of: Self.lineFeed) else {
          pending.removeAll(keepingCapacity: true)
          scanned = 0
          return .needMore
        }
        pending.removeFirst(end + 1)
        scanned = 0
        isSkippingOverlongLine = false
      }
      if let end = pending[scanned...].firstIndex(of: Self.lineFeed) {
        let contentEnd = end > 0 && pending[end - 1] == Self.carriageReturn ? end - 1 : end
        let line = contentEnd > limit ? nil : Array(pending[..<contentEnd])
        pending.removeFirst(end + 1)
        scanned = 0
        return line.map(Next.line) ?? .overlong
      }
      scanned = pending.count
      // A trailing CR may still turn out to be part of a CRLF terminator.
      let allowed = pending.last == Self.carriageReturn && limit < Int.max ? limit + 1 : limit
      if pending.count > allowed {
        pending.removeAll(keepingCapacity: true)
        scanned = 0
        isSkippingOverlongLine = true
        return .overlong
      }
      return .needMore
    }
  }
#endif
