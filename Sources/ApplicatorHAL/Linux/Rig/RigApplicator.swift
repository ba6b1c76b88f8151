#if canImport(Glibc)
  import ApplicatorHAL
  import SCPI
  import Glibc

  /// The line to a rig, shared by the applicator and its power stage.
  ///
  /// Every exchange has a deadline; a hang-up marks the link lost for good
  /// (the host exits with the I/O failure code once it is safe).
  ///
  /// A reply is taken only as the answer to the query it belongs to. SCPI
  /// has no sequence tags, but a rig answers queries in order with one line
  /// each, so the link counts the replies it is still owed: a query whose
  /// reply missed its deadline leaves one reply owed, and the next lines to
  /// arrive (drained before the next query, or read while waiting for its
  /// reply) settle that debt and are discarded. A line that arrives when
  /// nothing is owed (a stray line, say an extra empty line after each
  /// reply) fails the exchange with ``FaultKind/protocolError``. Owed replies
  /// are forgotten ``owedReplyLifetimeNanoseconds`` after the last timed-out
  /// query, so a rig that silently dropped a query is not out of step for
  /// ever; a reply later than that would be taken for a newer one, which is
  /// why the supervisor's stale-data trip (1 s by default) is shorter.
  ///
  /// What counting cannot do: when a late reply is followed by a stray line
  /// and both arrive while the next query waits, the late reply settles the
  /// debt and the stray line is taken as that query's answer. A fetch taken
  /// from such a line still has to carry every field (``RigApplicator``
  /// refuses any other count), and the rig has already shown a protocol
  /// fault (``strayLines``, ``lateReplies``).
  public final class RigLink {
    private let stream: ByteStream
    /// How long a reply may take, ns: a later reply is a failed read, and
    /// is discarded when it comes. The connect phase, which drives nothing,
    /// may allow longer (see ``connectReplyTimeoutNanoseconds``).
    public var replyTimeoutNanoseconds: UInt64
    /// The reply deadline of a loop's exchanges, ns (`docs/rig-protocol.md`).
    public static let loopReplyTimeoutNanoseconds: UInt64 = 40_000_000
    /// The reply deadline while connecting (handshake, setup), ns: nothing is
    /// driven yet, so a host or rig slowed by its machine's load is given
    /// time rather than refused.
    public static let connectReplyTimeoutNanoseconds: UInt64 = 1_000_000_000
    /// How long replies owed by timed-out queries are waited for, ns.
    public let owedReplyLifetimeNanoseconds: UInt64
    /// Whether the rig went away (hang-up, unplug, closed connection).
    public private(set) var isLost = false
    /// Replies owed by queries that timed out.
    public private(set) var owedReplies = 0
    /// Lines discarded as late replies since the link opened.
    public private(set) var lateReplies = 0
    /// Lines that arrived when no reply was owed, since the link opened.
    public private(set) var strayLines = 0
    /// Whether the rig's fail-safe lease lapsed after this host turned its
    /// output on (status bit 6): the output is then off on the rig, and this
    /// host never turns it on again.
    public private(set) var leaseLapsed = false
    /// Lease expiries the rig reported to this host (0 or 1: after a lapse the
    /// host never re-enables the output, so the lease cannot lapse again).
    public private(set) var leaseExpiries = 0
    /// Whether this host has sent `OUTPut ON` on the link: status bit 6 left
    /// by an earlier session counts only once this host has driven the rig.
    public internal(set) var outputEnabledByHost = false
    private var lastTimeoutNanoseconds: UInt64 = 0

    /// Wraps a stream to a rig.
    public init(
      stream: ByteStream, replyTimeoutNanoseconds: UInt64 = RigLink.loopReplyTimeoutNanoseconds,
      owedReplyLifetimeNanoseconds: UInt64 = 1_000_000_000
    ) {
      self.stream = stream
      self.replyTimeoutNanoseconds = replyTimeoutNanoseconds
      self.owedReplyLifetimeNanoseconds = owedReplyLifetimeNanoseconds
    }

    /// Sends a command line (no reply expected).
    public func send(_ line: String) throws(FaultKind) {
      guard !isLost else { throw .disconnected }
      do throws(FaultKind) {
        try stream.write(
          Array((line + "\n").utf8),
          deadlineNanoseconds: MonotonicClock.rawNanoseconds() + replyTimeoutNanoseconds)
      } catch {
        if error == .disconnected { isLost = true }
        throw error
      }
    }

    /// Sends a query line and returns its one reply line.
    ///
    /// Throws ``FaultKind/protocolError`` without sending when a stray line
    /// was waiting (the link cannot be trusted for this exchange),
    /// ``FaultKind/timedOut`` when the reply misses its deadline (it is then
    /// owed, and discarded when it comes), ``FaultKind/outOfRange`` for an
    /// overlong reply, ``FaultKind/disconnected`` on a hang-up.
    public func query(_ line: String) throws(FaultKind) -> String {
      guard !isLost else { throw .disconnected }
      let now = MonotonicClock.rawNanoseconds()
      if owedReplies > 0 && now - lastTimeoutNanoseconds > owedReplyLifetimeNanoseconds {
        owedReplies = 0
      }
      var stray = false
      while true {
        do throws(FaultKind) {
          _ = try stream.readLine(maximumBytes: 4096, deadlineNanoseconds: 0)
          settle(&stray)
        } catch {
          if error == .timedOut { break }
          if error == .outOfRange {
            settle(&stray)
            continue
          }
          if error == .disconnected { isLost = true }
          throw error
        }
      }
      if stray { throw .protocolError }
      try send(line)
      let deadline = MonotonicClock.rawNanoseconds() + replyTimeoutNanoseconds
      while true {
        do throws(FaultKind) {
          let reply = try stream.readLine(maximumBytes: 4096, deadlineNanoseconds: deadline)
          if owedReplies > 0 {
            owedReplies -= 1
            lateReplies += 1
            continue
          }
          return String(decoding: reply, as: UTF8.self)
        } catch {
          switch error {
          case .disconnected: isLost = true
          case .timedOut:
            owedReplies += 1
            lastTimeoutNanoseconds = MonotonicClock.rawNanoseconds()
          case .outOfRange where owedReplies > 0:
            owedReplies -= 1
            lateReplies += 1
            continue
          default: break
          }
          throw error
        }
      }
    }

    /// Accounts for one line that arrived before a query was sent: a late
    /// reply if one is owed, else a stray line.
    private func settle(_ stray: inout Bool) {
      if owedReplies > 0 {
        owedReplies -= 1
        lateReplies += 1
      } else {
        strayLines += 1
        stray = true
      }
    }

    /// Notes status bit 6 (lease expired) from a fetch.
    func noteLeaseExpired() {
      guard outputEnabledByHost, !leaseLapsed else { return }
      leaseLapsed = true
      leaseExpiries += 1
    }

    /// Closes the stream.
    public func close() { stream.close() }
  }

  /// The rig's power stage: `SOURce:POWer` (which also refreshes the rig's
  /// lease), `OUTPut` as the enable, `MEASure:POWer?` as read-back (fetched
  /// with the sensors, once per tick).
  ///
  /// Once the rig reports its lease lapsed (``RigLink/leaseLapsed``) every
  /// write, every enable and every read-back throws
  /// ``FaultKind/leaseExpired`` without sending anything: the loop trips
  /// `lease-lapsed` in the tick whose fetch showed status bit 6 (its
  /// read-back comes before the supervisor), and `OUTPut ON` is never sent
  /// again on that link. The safe-off is still sent.
  public struct RigPowerStage: PowerStage {
    private let link: RigLink
    /// The command range of the rig's mode.
    public let commandRange: CommandRange
    /// The output measured by the last sensor fetch, fraction of full scale,
    /// or why that fetch gave none (before the first fetch: no data).
    var measured: Result<Double, FaultKind> = .failure(.noData)

    init(link: RigLink, commandRange: CommandRange) {
      self.link = link
      self.commandRange = commandRange
    }

    /// `SOURce:POWer <command>`.
    public mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
      guard !link.leaseLapsed else { throw .leaseExpired }
      try link.send("SOUR:POW \(RigPowerStage.decimal(commandRange.clamp(command)))")
    }

    /// `OUTPut ON|OFF`.
    public mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
      guard enabled else {
        try link.send("OUTP OFF")
        return
      }
      guard !link.leaseLapsed else { throw .leaseExpired }
      try link.send("OUTP ON")
      link.outputEnabledByHost = true
    }

    /// `SOURce:POWer 0;OUTPut OFF`; should the link be gone, the rig's own
    /// lease turns its output off.
    public mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
      do throws(FaultKind) {
        try link.send("SOUR:POW 0;OUTP OFF")
        return nil
      } catch {
        return error
      }
    }

    /// The measured output from the last sensor fetch. A fetch that failed,
    /// or a read-back field that was not a number (`ERR`, SCPI's not-a-number
    /// `9.91E37`, a missing field), is a fault of the read-back, never a
    /// missing one: the read-back check keeps running on it.
    public mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
      guard !link.leaseLapsed else { throw .leaseExpired }
      return try measured.get()
    }

    /// A command as a plain decimal the rig parses (six decimals).
    static func decimal(_ value: Double) -> String {
      let scaled = (value * 1_000_000).rounded()
      guard scaled.magnitude < 1e15 else { return "0" }
      let units = Int64(scaled)
      let sign = units < 0 ? "-" : ""
      let whole = units.magnitude / 1_000_000
      let fraction = String(units.magnitude % 1_000_000)
      return sign + String(whole) + "." + String(repeating: "0", count: 6 - fraction.count)
        + fraction
    }
  }

  /// A serial-attached (or TCP-shared) test rig as an ``Applicator``: its
  /// channels are the sensors, its power mode the power stage.
  ///
  /// One query line per tick fetches every channel, the read-back, the
  /// interlocks and the status (`STAT:QUES:COND?`, for a lapsed lease); one
  /// command line writes the power. A rig that stops answering gives failed
  /// reads (stale data for the supervisor, then a trip).
  public struct RigApplicator: Applicator {
    /// The rig's power stage.
    public var powerStage: RigPowerStage
    /// How many channels are read as sensors.
    public let sensorCount: Int
    /// The rig channel (1-based) read for each sensor slot.
    public let channels: [Int]
    /// The link, for the runner to see a lost device.
    public let link: RigLink
    private let fetch: String
    private var interlocks: Interlocks = .allOpen
    private var lastError: FaultKind? = .noData

    /// The lease the host asks for unless told otherwise, s: a rig whose
    /// host goes silent turns its output off within it.
    public static let defaultLeaseSeconds = 0.5
    /// ``defaultLeaseSeconds`` as text with its unit.
    public static var defaultLeaseText: String { "\(defaultLeaseSeconds) s" }

    /// Connects with sensor slot k on rig channel k + 1 (see
    /// ``init(link:channels:commandRange:leaseSeconds:)``).
    public init(
      link: RigLink, sensorCount: Int, commandRange: CommandRange,
      leaseSeconds: Double = RigApplicator.defaultLeaseSeconds
    ) throws(FaultKind) {
      let count = min(max(sensorCount, 0), maximumSensorCount)
      try self.init(
        link: link, channels: (0..<count).map { $0 + 1 },
        commandRange: commandRange, leaseSeconds: leaseSeconds)
    }

    /// Connects: checks `*IDN?`, clears the error queue, selects raw power
    /// mode with the given lease, and leaves the output off at zero. Sensor
    /// slot k reads rig channel `channels[k]` (as mapped by ``RigHandshake``,
    /// which runs before this sends any power command).
    public init(
      link: RigLink, channels: [Int], commandRange: CommandRange,
      leaseSeconds: Double = RigApplicator.defaultLeaseSeconds
    ) throws(FaultKind) {
      self.link = link
      self.channels = Array(channels.prefix(maximumSensorCount))
      self.sensorCount = self.channels.count
      powerStage = RigPowerStage(link: link, commandRange: commandRange)
      var parts: [String] = []
      for channel in self.channels { parts.append("MEAS:TEMP? \(channel)") }
      parts.append("MEAS:POW?")
      parts.append("SYST:INT?")
      parts.append("STAT:QUES:COND?")
      fetch = parts.joined(separator: ";")
      let identity = try link.query("*IDN?")
      guard identity.split(separator: ",").count >= 4 else { throw .protocolError }
      try link.send("*CLS;SOUR:FUNC POW;OUTP OFF;SOUR:POW 0")
      try link.send("SOUR:POW:LEAS \(RigPowerStage.decimal(leaseSeconds))")
      guard try link.query("SYST:ERR?").hasPrefix("0,") else { throw .protocolError }
    }

    /// Hardware: nothing to integrate.
    public mutating func advance(toNanoseconds nowNanoseconds: UInt64) {}

    /// Fetches every channel, the read-back and the interlocks in one query.
    public mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
      snapshot.count = sensorCount
      let reply: String
      do throws(FaultKind) {
        reply = try link.query(fetch)
      } catch {
        fail(error, &snapshot)
        return
      }
      let fields = reply.split(separator: ";", omittingEmptySubsequences: false)
      guard fields.count == sensorCount + 3 else {
        fail(.protocolError, &snapshot)
        return
      }
      for index in 0..<sensorCount {
        guard let value = Double(fields[index].trimmed), value.isFinite else {
          snapshot.readings[index] = .fault(.protocolError)
          continue
        }
        // 9.91E37 is SCPI's NaN: the rig flags the channel.
        snapshot.readings[index] =
          value >= 9.9e37
          ? .fault(.faultFlag)
          : .sample(TemperatureSample(celsius: value, timestampNanoseconds: nowNanoseconds))
      }
      if let power = Double(fields[sensorCount].trimmed), power.isFinite {
        powerStage.measured = power >= 9.9e37 ? .failure(.faultFlag) : .success(power)
      } else {
        powerStage.measured = .failure(.protocolError)
      }
      // Status bit 6: the lease lapsed; the rig's output is off until `OUTP ON`,
      // which this host never sends again.
      let status = Int(fields[sensorCount + 2].trimmed)
      if let status, status & (1 << 6) != 0 { link.noteLeaseExpired() }
      let states = fields[sensorCount + 1].split(separator: ",")
      if states.count == 2 && status != nil {
        interlocks = Interlocks(
          contactMade: states[0].trimmed == "1", coolantFlowing: states[1].trimmed == "1")
        lastError = nil
      } else {
        lastError = .protocolError
      }
    }

    private mutating func fail(_ error: FaultKind, _ snapshot: inout SensorSnapshot) {
      for index in 0..<sensorCount { snapshot.readings[index] = .fault(error) }
      powerStage.measured = .failure(error)
      lastError = error
    }

    /// The interlocks from the last fetch; the fetch's error if it failed.
    public mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
      if let lastError { throw lastError }
      return interlocks
    }
  }

  extension Substring {
    fileprivate var trimmed: Substring {
      var text = self
      while let first = text.first, first == " " { text = text.dropFirst() }
      while let last = text.last, last == " " || last == "\r" { text = text.dropLast() }
      return text
    }
  }
#endif
