#if canImport(Glibc)
  import ApplicatorHAL
  import InstrumentProtocols

  /// The line to one MeCom instrument: one request at a time, each with its own sequence
  /// number, each reply checked by ``MeComReplyDecoder`` against its request.
  ///
  /// Every exchange has a deadline. A reply that misses it is a ``FaultKind/timedOut``; if
  /// it comes later it carries an old sequence number and is dropped (counted in
  /// ``lateReplies``), never taken for a newer request's. Every other refusal is a fault
  /// (the decoder's reason is kept in ``lastError``): a bad CRC, layout, address or payload
  /// is ``FaultKind/protocolError``, the device's server error ``FaultKind/invalidValue``,
  /// a NaN or infinite value ``FaultKind/faultFlag``. A hang-up marks the link lost for good.
  public final class MeComLink {
    private let stream: ByteStream
    /// The device address every request goes to.
    public let address: UInt8
    /// How long a reply may take, ns.
    public var replyTimeoutNanoseconds: UInt64
    /// The reply deadline of a loop's exchanges, ns. A TEC answers a frame in a few ms (a
    /// 20-byte frame takes 3.5 ms each way at 57600 baud); the deadline is two 10 Hz ticks
    /// so that a loaded host or emulator stalling for a tenth of a second is not an
    /// unacknowledged write (which trips at once), while a silent instrument still costs
    /// only this once per tick (the fetch ends at the first timeout).
    public static let loopReplyTimeoutNanoseconds: UInt64 = 200_000_000
    /// The reply deadline while connecting (nothing is driven yet), ns.
    public static let connectReplyTimeoutNanoseconds: UInt64 = 1_000_000_000
    /// Whether the instrument went away (hang-up, unplug, closed connection).
    public private(set) var isLost = false
    /// The decoder's reason for the last refused reply.
    public private(set) var lastError: MeComError?
    /// Late replies dropped: replies carrying an older sequence number, and reads of bytes
    /// that were waiting before a request was sent.
    public private(set) var lateReplies = 0
    /// Frames sent since the link opened.
    public private(set) var requestsSent = 0
    /// The last sequence number sent; seeded from the monotonic clock so that a reply
    /// still on the line from an earlier connection (numbered from its own seed) is not
    /// taken for this one's first requests.
    private var sequence = UInt16(truncatingIfNeeded: MonotonicClock.rawNanoseconds() / 1_000)
    /// The most bytes dropped before one request (eight frames' worth).
    static let drainBudgetBytes = 8 * MeComFrame.maximumBytes

    /// Wraps a stream to an instrument at `address`.
    public init(
      stream: ByteStream, address: UInt8,
      replyTimeoutNanoseconds: UInt64 = MeComLink.loopReplyTimeoutNanoseconds
    ) {
      self.stream = stream
      self.address = address
      self.replyTimeoutNanoseconds = replyTimeoutNanoseconds
    }

    /// Reads a parameter as a signed integer.
    public func readInt(_ parameterID: UInt16, instance: UInt8 = 1) throws(FaultKind) -> Int32 {
      let reply = try exchange(.read(parameterID: parameterID, instance: instance))
      do throws(MeComError) {
        return try reply.int32()
      } catch {
        throw refuse(error)
      }
    }

    /// Reads a parameter as a finite float.
    public func readFloat(_ parameterID: UInt16, instance: UInt8 = 1) throws(FaultKind) -> Float {
      let reply = try exchange(.read(parameterID: parameterID, instance: instance))
      do throws(MeComError) {
        return try reply.float32()
      } catch {
        throw refuse(error)
      }
    }

    /// Sets a parameter; returns once the device acknowledged it.
    public func set(_ parameterID: UInt16, instance: UInt8 = 1, _ value: MeComValue)
      throws(FaultKind)
    {
      _ = try exchange(.set(parameterID: parameterID, instance: instance, value: value))
    }

    /// Sends `command` and returns the reply that answers it.
    public func exchange(_ command: MeComCommand) throws(FaultKind) -> MeComReply {
      guard !isLost else { throw .disconnected }
      let deadline = MonotonicClock.rawNanoseconds() + replyTimeoutNanoseconds
      // Bytes waiting before the request are late replies to earlier ones: dropped. A line
      // that keeps talking past the reply deadline or a few frames' worth is no instrument
      // devsim can take turns with.
      var drained = 0
      while true {
        do throws(FaultKind) {
          drained += try stream.readBytes(deadlineNanoseconds: 0).count
          lateReplies += 1
        } catch {
          if error == .timedOut { break }
          throw lose(error)
        }
        if drained > MeComLink.drainBudgetBytes || MonotonicClock.rawNanoseconds() > deadline {
          throw .protocolError
        }
      }
      sequence &+= 1
      let request = MeComRequest(address: address, sequence: sequence, command: command)
      do throws(FaultKind) {
        try stream.write(request.bytes, deadlineNanoseconds: deadline)
      } catch {
        throw lose(error)
      }
      requestsSent += 1
      var assembler = MeComFrameAssembler(start: MeComFrame.replyStart)
      while true {
        let bytes: [UInt8]
        do throws(FaultKind) {
          bytes = try stream.readBytes(deadlineNanoseconds: deadline)
        } catch {
          if error == .timedOut, assembler.hasPartialFrame {
            lastError = .partialFrame(bytes: assembler.pending.count)
          }
          throw lose(error)
        }
        for byte in bytes {
          switch assembler.take(byte) {
          case nil: continue
          case .overlong: throw refuse(.overlong(bytes: MeComFrame.maximumBytes))
          case .frame(let frame):
            do throws(MeComError) {
              return try MeComReplyDecoder.decode(frame, for: request)
            } catch {
              if case .wrongSequence = error {
                lateReplies += 1
                continue
              }
              throw refuse(error)
            }
          }
        }
      }
    }

    /// Notes a lost device; returns the fault to throw.
    private func lose(_ error: FaultKind) -> FaultKind {
      if error == .disconnected { isLost = true }
      return error
    }

    /// Notes a refused reply; returns the fault it maps to.
    private func refuse(_ error: MeComError) -> FaultKind {
      lastError = error
      return MeComLink.fault(for: error)
    }

    /// The fault a refused reply is.
    public static func fault(for error: MeComError) -> FaultKind {
      switch error {
      case .partialFrame: .timedOut
      case .serverError: .invalidValue
      case .nonFiniteValue: .faultFlag
      case .overlong, .badStart, .badHexDigit, .badCRC, .wrongAddress, .wrongSequence,
        .unexpectedPayload:
        .protocolError
      }
    }

    /// Closes the stream.
    public func close() { stream.close() }
  }
#endif
