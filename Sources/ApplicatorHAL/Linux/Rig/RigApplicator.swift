#if canImport(Glibc)
  import ApplicatorHAL
  import SCPI
  import Glibc

  /// The line to a rig, shared by the applicator and its power stage.
  ///
  /// Every exchange has a deadline; a hang-up marks the link lost for good
  /// (the host exits with the I/O failure code once it is safe).
  public final class RigLink {
    private let stream: ByteStream
    /// How long a reply may take, ns.
    public let replyTimeoutNanoseconds: UInt64
    /// Whether the rig went away (hang-up, unplug, closed connection).
    public private(set) var isLost = false
    /// After a timed-out query a late reply may still arrive; until an
    /// exchange completes cleanly, input is drained before each query so a
    /// stale line is never taken for the answer (SCPI has no sequence tags).
    private var mayHoldStaleReply = false

    /// Wraps a stream to a rig.
    public init(stream: ByteStream, replyTimeoutNanoseconds: UInt64 = 40_000_000) {
      self.stream = stream
      self.replyTimeoutNanoseconds = replyTimeoutNanoseconds
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
    public func query(_ line: String) throws(FaultKind) -> String {
      if mayHoldStaleReply { stream.discardInput() }
      try send(line)
      do throws(FaultKind) {
        let reply = try stream.readLine(
          maximumBytes: 4096,
          deadlineNanoseconds: MonotonicClock.rawNanoseconds() + replyTimeoutNanoseconds)
        mayHoldStaleReply = false
        return String(decoding: reply, as: UTF8.self)
      } catch {
        if error == .disconnected { isLost = true }
        if error == .timedOut || error == .outOfRange { mayHoldStaleReply = true }
        throw error
      }
    }

    /// Closes the stream.
    public func close() { stream.close() }
  }

  /// The rig's power stage: `SOURce:POWer` (which also refreshes the rig's
  /// lease), `OUTPut` as the enable, `MEASure:POWer?` as read-back (fetched
  /// with the sensors, once per tick).
  public struct RigPowerStage: PowerStage {
    private let link: RigLink
    /// The command range of the rig's mode.
    public let commandRange: CommandRange
    /// The last measured output, fraction of full scale.
    var measured: Double? = nil

    init(link: RigLink, commandRange: CommandRange) {
      self.link = link
      self.commandRange = commandRange
    }

    /// `SOURce:POWer <command>`.
    public mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
      try link.send("SOUR:POW \(RigPowerStage.decimal(commandRange.clamp(command)))")
    }

    /// `OUTPut ON|OFF`.
    public mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
      try link.send(enabled ? "OUTP ON" : "OUTP OFF")
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

    /// The measured output from the last sensor fetch.
    public mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? { measured }

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
  /// One query line per tick fetches every channel, the read-back and the
  /// interlocks; one command line writes the power. A rig that stops
  /// answering gives failed reads (stale data for the supervisor, then a trip).
  public struct RigApplicator: Applicator {
    /// The rig's power stage.
    public var powerStage: RigPowerStage
    /// How many channels are read as sensors (channel k is sensor slot k − 1).
    public let sensorCount: Int
    /// The link, for the runner to see a lost device.
    public let link: RigLink
    private let fetch: String
    private var interlocks: Interlocks = .allOpen
    private var lastError: FaultKind? = .noData

    /// Connects: checks `*IDN?`, clears the error queue, selects raw power
    /// mode with the given lease, and leaves the output off at zero.
    public init(
      link: RigLink, sensorCount: Int, commandRange: CommandRange, leaseSeconds: Double = 0.5
    ) throws(FaultKind) {
      self.link = link
      self.sensorCount = min(max(sensorCount, 0), maximumSensorCount)
      powerStage = RigPowerStage(link: link, commandRange: commandRange)
      var parts: [String] = []
      for channel in 0..<self.sensorCount { parts.append("MEAS:TEMP? \(channel + 1)") }
      parts.append("MEAS:POW?")
      parts.append("SYST:INT?")
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
      guard fields.count == sensorCount + 2 else {
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
      powerStage.measured = Double(fields[sensorCount].trimmed).flatMap { $0 < 9.9e37 ? $0 : nil }
      let states = fields[sensorCount + 1].split(separator: ",")
      if states.count == 2 {
        interlocks = Interlocks(
          contactMade: states[0].trimmed == "1", coolantFlowing: states[1].trimmed == "1")
        lastError = nil
      } else {
        lastError = .protocolError
      }
    }

    private mutating func fail(_ error: FaultKind, _ snapshot: inout SensorSnapshot) {
      for index in 0..<sensorCount { snapshot.readings[index] = .fault(error) }
      powerStage.measured = nil
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
