#if canImport(Glibc)
  import ApplicatorHAL
  /// How a board's power stage turns a command into outputs.
  public enum BoardDrive {
    /// One PWM channel, 0 … 1: a laser driver's modulation input, a heater.
    case single(PWMChannel)
    /// An H-bridge TEC driver: PWM magnitude plus a direction line whose
    /// active level heats.
    case directionBridge(magnitude: PWMChannel, heatDirection: GPIOOutputLine)
    /// A two-input H-bridge: one PWM channel heats, the other cools; at
    /// most one is ever above zero.
    case dualPWM(heat: PWMChannel, cool: PWMChannel)
  }

  /// A power stage on a Linux board: PWM channels under `/sys/class/pwm`,
  /// and an enable line (driver enable or relay) through `/dev/gpiochipN`.
  ///
  /// **+1 is full heating and −1 full cooling** (DESIGN §4). Before the TEC
  /// current changes direction the output is held at zero for at least the
  /// dead time, so the bridge never switches polarity under load. Safe-off
  /// writes duty 0 to every channel (on an enabled channel: a disabled
  /// PWM's level is undefined) and opens the enable line, trying every cut
  /// even when one fails.
  public struct BoardPowerStage: PowerStage {
    /// The outputs.
    public private(set) var drive: BoardDrive
    /// The enable line; `nil` only when the board file says `"enable":
    /// "none"` (then the duty cycle is the only software cut — docs/boards.md
    /// says why that is not enough).
    public private(set) var enableLine: GPIOOutputLine?
    /// What commands the stage accepts.
    public let commandRange: CommandRange
    /// The minimum time at zero output before the direction flips, ns.
    public let deadTimeNanoseconds: UInt64
    /// The direction the bridge is set to: +1 heating, −1 cooling.
    public private(set) var direction: Int
    /// When the output last became zero; `nil` while it is driven.
    public private(set) var zeroSinceNanoseconds: UInt64? = 0
    /// The command last delivered to the outputs (after any dead-time hold).
    public private(set) var deliveredCommand: Double = 0
    /// Set once the stage must not be driven any more (a failed watchdog
    /// keepalive or heartbeat): every later ``write(command:nowNanoseconds:)``
    /// and closing of the enable throw it, so the loop trips
    /// `actuatorFault` and goes safe in the same tick. Safe-off still works.
    public private(set) var refusal: FaultKind? = nil

    /// Creates a stage over opened outputs, all of them off.
    public init(
      drive: BoardDrive, enableLine: GPIOOutputLine?, deadTimeNanoseconds: UInt64 = 0
    ) {
      self.drive = drive
      self.enableLine = enableLine
      self.deadTimeNanoseconds = deadTimeNanoseconds
      switch drive {
      case .single: commandRange = .unipolar
      case .directionBridge(_, let line):
        commandRange = .bipolar
        direction = line.isActive ? 1 : -1
        return
      case .dualPWM: commandRange = .bipolar
      }
      direction = 1
    }

    /// Refuses every later drive with `fault`; the first refusal is kept.
    public mutating func refuseDriving(_ fault: FaultKind) {
      if refusal == nil { refusal = fault }
    }

    /// Writes a command; a direction change first holds zero for the dead time.
    ///
    /// - Throws: ``refusal`` once set, whatever the command; else the fault of a failed write.
    public mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
      if let refusal { throw refusal }
      let command = commandRange.clamp(command)
      let wanted = command > 0 ? 1 : command < 0 ? -1 : 0
      if wanted != 0 && wanted != direction {
        guard let since = zeroSinceNanoseconds else {
          try setMagnitude(0, nowNanoseconds)
          return
        }
        guard nowNanoseconds - min(since, nowNanoseconds) >= deadTimeNanoseconds else { return }
        try setDirection(wanted, nowNanoseconds)
      }
      try setMagnitude(abs(command), nowNanoseconds)
    }

    private mutating func setDirection(_ wanted: Int, _ now: UInt64) throws(FaultKind) {
      if case .directionBridge(let magnitude, var line) = drive {
        try line.write(wanted > 0, nowNanoseconds: now)
        drive = .directionBridge(magnitude: magnitude, heatDirection: line)
      }
      direction = wanted
    }

    private mutating func setMagnitude(_ magnitude: Double, _ now: UInt64) throws(FaultKind) {
      switch drive {
      case .single(var channel):
        try channel.setDuty(fraction: magnitude)
        drive = .single(channel)
      case .directionBridge(var channel, let line):
        try channel.setDuty(fraction: magnitude)
        drive = .directionBridge(magnitude: channel, heatDirection: line)
      case .dualPWM(var heat, var cool):
        // The idle side first: both are never on together.
        if direction > 0 {
          try cool.setDuty(fraction: 0)
          try heat.setDuty(fraction: magnitude)
        } else {
          try heat.setDuty(fraction: 0)
          try cool.setDuty(fraction: magnitude)
        }
        drive = .dualPWM(heat: heat, cool: cool)
      }
      if magnitude == 0 {
        if zeroSinceNanoseconds == nil { zeroSinceNanoseconds = now }
      } else {
        zeroSinceNanoseconds = nil
      }
      deliveredCommand = magnitude == 0 ? 0 : Double(direction) * magnitude
    }

    /// Closes or opens the enable line (nothing without one); closing it
    /// throws ``refusal`` once set.
    public mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
      if enabled, let refusal { throw refusal }
      guard var line = enableLine else { return }
      try line.write(enabled, nowNanoseconds: nowNanoseconds)
      enableLine = line
    }

    /// Duty 0 on every channel, then the enable line opened; every cut is
    /// tried, and the first error is returned.
    public mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
      var first: FaultKind? = nil
      func attempt(_ body: () throws(FaultKind) -> Void) {
        do { try body() } catch { if first == nil { first = error } }
      }
      switch drive {
      case .single(var channel):
        attempt { () throws(FaultKind) in try channel.forceZero() }
        drive = .single(channel)
      case .directionBridge(var channel, let line):
        attempt { () throws(FaultKind) in try channel.forceZero() }
        drive = .directionBridge(magnitude: channel, heatDirection: line)
      case .dualPWM(var heat, var cool):
        attempt { () throws(FaultKind) in try heat.forceZero() }
        attempt { () throws(FaultKind) in try cool.forceZero() }
        drive = .dualPWM(heat: heat, cool: cool)
      }
      if zeroSinceNanoseconds == nil { zeroSinceNanoseconds = nowNanoseconds }
      deliveredCommand = 0
      if var line = enableLine {
        attempt { () throws(FaultKind) in try line.write(false, nowNanoseconds: nowNanoseconds) }
        enableLine = line
      }
      return first
    }

    /// No read-back on a plain PWM driver.
    public mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? { nil }

    /// The PWM channels, for reports.
    public var channels: [PWMChannel] {
      switch drive {
      case .single(let channel): [channel]
      case .directionBridge(let channel, _): [channel]
      case .dualPWM(let heat, let cool): [heat, cool]
      }
    }
  }
#endif
