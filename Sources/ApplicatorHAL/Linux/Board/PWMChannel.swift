#if canImport(Glibc)
  import ApplicatorHAL
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

    /// What the channel's files say before it is set up.
    private struct State {
      var period: UInt64
      var enabled: Bool
      var inversed: Bool
    }

    /// Exports the channel, then sets it up so that the output is off:
    /// disabled first when the polarity must change (with the old polarity
    /// `inversed`, duty 0 would be full on), the polarity, duty 0 and the
    /// period, then enabled.
    ///
    /// The kernel creates `pwmM/*` during the export write, owned by root;
    /// until udev fixes their permissions, writes fail with `EACCES`. Every
    /// setup write is retried on `EACCES` (and the first reads on `ENOENT`)
    /// with one shared budget of `exportAttempts` waits of `retryNanoseconds`.
    ///
    /// - Parameters:
    ///   - inversed: the driver's input is active low (`polarity` = `inversed`).
    ///   - exportAttempts: how many attempts the retries share.
    ///   - retryNanoseconds: the wait between attempts.
    /// - Throws: `EBUSY` on export with no channel directory: the channel
    ///   is in use by another driver; unparsable channel files are
    ///   ``FaultKind/invalidValue``.
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
        let exportPath = "\(location.chipPath)/export"
        do {
          try io.writeText(exportPath, String(location.channel))
        } catch {
          // EBUSY with no channel directory: a kernel driver holds the channel.
          guard error.fault == .busy else {
            throw BoardOpenError(path: exportPath, errno: error, doing: "export")
          }
          if !io.exists("\(directory)/duty_cycle") {
            throw BoardOpenError(
              path: exportPath, fault: .busy,
              message:
                "\(location.chipPath) channel \(location.channel) is in use by another driver (export: EBUSY)"
            )
          }
        }
      }
      var retries = Retries(
        io: io, left: max(exportAttempts, 1) - 1, waitNanoseconds: retryNanoseconds)
      let current = try PWMChannel.readState(io, directory, &retries)
      func write(_ name: String, _ value: String) throws(BoardOpenError) {
        let path = "\(directory)/\(name)"
        while true {
          do {
            try io.writeText(path, value)
            return
          } catch {
            guard error.fault == .permissionDenied, retries.wait() else {
              throw BoardOpenError(path: path, errno: error, doing: "write \"\(value)\" to")
            }
          }
        }
      }
      if current.inversed != inversed {
        if current.enabled { try write("enable", "0") }
        try write("polarity", inversed ? "inversed" : "normal")
      }
      // Duty 0 is always written (no cached value is trusted); it is valid
      // for any period above zero, and a fresh channel's period is 0.
      if current.period > 0 { try write("duty_cycle", "0") }
      if current.period != periodNanoseconds {
        try write("period", String(periodNanoseconds))
      }
      if current.period == 0 { try write("duty_cycle", "0") }
      if !current.enabled || current.inversed != inversed { try write("enable", "1") }
      self.periodNanoseconds = periodNanoseconds
      self.dutyNanoseconds = 0
    }

    /// A bounded number of waits shared by the setup's retries.
    private struct Retries {
      let io: any BoardIO
      var left: Int
      let waitNanoseconds: UInt64

      /// Waits once if any attempt is left; `false` when none is.
      mutating func wait() -> Bool {
        guard left > 0 else { return false }
        left -= 1
        io.sleep(nanoseconds: waitNanoseconds)
        return true
      }
    }

    private static func readState(
      _ io: any BoardIO, _ directory: String, _ retries: inout Retries
    ) throws(BoardOpenError) -> State {
      func text(_ name: String) throws(BoardOpenError) -> Substring {
        let path = "\(directory)/\(name)"
        while true {
          do {
            return SysfsText.trimmed(Substring(try io.readText(path)))
          } catch {
            let udevPending = error.fault == .notFound || error.fault == .permissionDenied
            guard udevPending, retries.wait() else {
              throw BoardOpenError(
                path: path, fault: error.fault,
                message:
                  "\(path): the exported channel did not become usable (read: \(error.name))")
            }
          }
        }
      }
      func number(_ name: String) throws(BoardOpenError) -> UInt64 {
        let value = try text(name)
        guard let number = UInt64(value) else {
          throw BoardOpenError(
            path: "\(directory)/\(name)", fault: .invalidValue,
            message: "\(directory)/\(name): \"\(value)\" is not a whole number")
        }
        return number
      }
      let period = try number("period")
      _ = try number("duty_cycle")
      let enable = try number("enable")
      guard enable <= 1 else {
        throw BoardOpenError(
          path: "\(directory)/enable", fault: .invalidValue,
          message: "\(directory)/enable: \"\(enable)\" is not 0 or 1")
      }
      var inversed = false
      if io.exists("\(directory)/polarity") {
        let polarity = try text("polarity")
        guard polarity == "normal" || polarity == "inversed" else {
          throw BoardOpenError(
            path: "\(directory)/polarity", fault: .invalidValue,
            message: "\(directory)/polarity: \"\(polarity)\" is not normal or inversed")
        }
        inversed = polarity == "inversed"
      }
      return State(period: period, enabled: enable == 1, inversed: inversed)
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
