#if canImport(Glibc)
  /// A PWM channel that exists on the board, found without writing anything:
  /// `/sys/class/pwm/pwmchipN` with `npwm` above the channel number.
  public struct PWMLocation: Sendable, Equatable {
    /// The chip directory, `/sys/class/pwm/pwmchipN`.
    public var chipPath: String
    /// The channel number M.
    public var channel: Int

    /// The channel directory, `pwmchipN/pwmM`.
    public var channelPath: String { "\(chipPath)/pwm\(channel)" }

    /// Checks that the chip exists and has the channel; writes nothing.
    public init(io: any BoardIO, chip: Int, channel: Int) throws(BoardOpenError) {
      chipPath = "/sys/class/pwm/pwmchip\(chip)"
      self.channel = channel
      let npwmPath = "\(chipPath)/npwm"
      let text: String
      do { text = try io.readText(npwmPath) } catch {
        throw BoardOpenError(
          path: npwmPath, fault: error.fault,
          message: "PWM chip pwmchip\(chip): cannot read \(npwmPath) (\(error.name))")
      }
      guard let count = Int(SysfsText.trimmed(Substring(text))) else {
        throw BoardOpenError(
          path: npwmPath, fault: .invalidValue, message: "\(npwmPath): \"\(text)\" is not a count")
      }
      guard channel >= 0 && channel < count else {
        throw BoardOpenError(
          path: npwmPath, fault: .outOfRange,
          message:
            "PWM chip pwmchip\(chip) has \(count) channels (0 … \(count - 1)), not \(channel)")
      }
    }
  }

  /// One sysfs PWM channel, exported and held at duty 0 with the channel enabled.
  ///
  /// The kernel refuses `duty_cycle > period` and a zero period with
  /// `EINVAL`, so writes are ordered: a shrinking period writes the duty
  /// first, a growing one the period first, and the period is set before
  /// the channel is enabled. A disabled PWM's output level is undefined:
  /// the off state is duty 0 on an enabled channel.
  public struct PWMChannel {
    private let io: any BoardIO
    /// Where the channel is.
    public let location: PWMLocation
    /// The period, ns.
    public private(set) var periodNanoseconds: UInt64
    /// The duty cycle last written, ns.
    public private(set) var dutyNanoseconds: UInt64

    /// Exports the channel (retrying while udev catches up), then writes
    /// duty 0, the period, the polarity, and enables it: the output is off.
    ///
    /// - Parameters:
    ///   - inversed: the driver's input is active low (`polarity` = `inversed`).
    ///   - exportAttempts: how many times to look for the exported files.
    ///   - retryNanoseconds: the wait between attempts.
    public init(
      io: any BoardIO, location: PWMLocation, periodNanoseconds: UInt64, inversed: Bool = false,
      exportAttempts: Int = 10, retryNanoseconds: UInt64 = 100_000_000
    ) throws(BoardOpenError) {
      self.io = io
      self.location = location
      let directory = location.channelPath
      guard periodNanoseconds > 0 else {
        throw BoardOpenError(
          path: "\(directory)/period", fault: .invalidValue, message: "a PWM period must be > 0 ns")
      }
      if !io.exists("\(directory)/duty_cycle") {
        do {
          try io.writeText("\(location.chipPath)/export", String(location.channel))
        } catch {
          // EBUSY: already exported (by us earlier, or by another user; the
          // files tell which).
          if error.fault != .busy {
            throw BoardOpenError(
              path: "\(location.chipPath)/export", errno: error, doing: "export")
          }
        }
      }
      // Export is asynchronous and udev fixes permissions later.
      var current: (period: UInt64, duty: UInt64, enabled: Bool, inversed: Bool)? = nil
      var lastError = BoardErrno(2)
      for attempt in 0..<max(exportAttempts, 1) {
        do {
          current = try PWMChannel.readState(io, directory)
          break
        } catch {
          lastError = error
          guard error.fault == .notFound || error.fault == .permissionDenied else { break }
          if attempt + 1 < exportAttempts { io.sleep(nanoseconds: retryNanoseconds) }
        }
      }
      guard let current else {
        throw BoardOpenError(
          path: directory, fault: lastError.fault,
          message:
            "\(directory): the exported channel did not become usable (\(lastError.name))")
      }
      self.periodNanoseconds = current.period
      self.dutyNanoseconds = current.duty
      do {
        try apply(periodNanoseconds: periodNanoseconds, dutyNanoseconds: 0)
        if current.inversed != inversed {
          if current.enabled { try io.writeText("\(directory)/enable", "0") }
          try io.writeText("\(directory)/polarity", inversed ? "inversed" : "normal")
          try io.writeText("\(directory)/enable", "1")
        } else if !current.enabled {
          try io.writeText("\(directory)/enable", "1")
        }
      } catch {
        throw BoardOpenError(path: directory, errno: error, doing: "setting up")
      }
    }

    private static func readState(_ io: any BoardIO, _ directory: String) throws(BoardErrno) -> (
      period: UInt64, duty: UInt64, enabled: Bool, inversed: Bool
    ) {
      func number(_ name: String) throws(BoardErrno) -> UInt64 {
        UInt64(SysfsText.trimmed(Substring(try io.readText("\(directory)/\(name)")))) ?? 0
      }
      let period = try number("period")
      let duty = try number("duty_cycle")
      let enabled = try number("enable") == 1
      let polarityPath = "\(directory)/polarity"
      var inversed = false
      if io.exists(polarityPath) {
        inversed = SysfsText.trimmed(Substring(try io.readText(polarityPath))) == "inversed"
      }
      return (period, duty, enabled, inversed)
    }

    /// Writes a new period and duty cycle in an order the kernel accepts.
    mutating func apply(periodNanoseconds period: UInt64, dutyNanoseconds duty: UInt64)
      throws(BoardErrno)
    {
      let directory = location.channelPath
      let duty = min(duty, period)
      if period != periodNanoseconds {
        if period < periodNanoseconds {
          if duty != dutyNanoseconds || dutyNanoseconds > period {
            try io.writeText("\(directory)/duty_cycle", String(duty))
            dutyNanoseconds = duty
          }
          try io.writeText("\(directory)/period", String(period))
          periodNanoseconds = period
        } else {
          try io.writeText("\(directory)/period", String(period))
          periodNanoseconds = period
        }
      }
      if duty != dutyNanoseconds {
        try io.writeText("\(directory)/duty_cycle", String(duty))
        dutyNanoseconds = duty
      }
    }

    /// Sets the duty cycle as a fraction 0 … 1 of the period (clamped; NaN is 0).
    public mutating func setDuty(fraction: Double) throws(FaultKind) {
      let clamped = fraction == fraction ? min(max(fraction, 0), 1) : 0
      let duty = UInt64((clamped * Double(periodNanoseconds)).rounded())
      do { try apply(periodNanoseconds: periodNanoseconds, dutyNanoseconds: duty) } catch {
        throw error.fault
      }
    }

    /// Writes duty 0 whatever the last write was (the safe-off path trusts
    /// no cached state).
    public mutating func forceZero() throws(FaultKind) {
      do {
        try io.writeText("\(location.channelPath)/duty_cycle", "0")
        dutyNanoseconds = 0
      } catch {
        throw error.fault
      }
    }

    /// The duty cycle last written as a fraction of the period.
    public var dutyFraction: Double {
      periodNanoseconds == 0 ? 0 : Double(dutyNanoseconds) / Double(periodNanoseconds)
    }
  }
#endif
