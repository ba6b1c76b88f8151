import ApplicatorHAL

/// What a simulated power stage received, in its own record: the last command
/// and enable written to it and when. Tests read this, not what the
/// supervisor says about itself, to prove the safe state reached the stage.
public struct ReceivedDrive: Sendable, Equatable {
  /// The last command written.
  public var command: Double = 0
  /// When the last command was written, ns.
  public var commandNanoseconds: UInt64 = 0
  /// The enable line as last written.
  public var enabled: Bool = false
  /// When the enable was last written, ns.
  public var enableNanoseconds: UInt64 = 0
  /// How many safe-off requests the stage has received.
  public var safeOffCount: Int = 0

  /// A record of nothing received yet.
  public init() {}
}

/// A simulated TEC or laser driver with an enable line and injectable faults.
public struct SimulatedPowerStage: PowerStage, Sendable {
  /// The stage's command range.
  public let commandRange: CommandRange
  /// Whether the stage measures its output (drive current, optical power).
  public let hasReadBack: Bool
  /// The stage's own record of what it was told.
  public private(set) var received = ReceivedDrive()
  /// The active fault, if any.
  public private(set) var fault: StageFaultKind? = nil
  private var shortedLevel: Double = 0

  /// Creates a stage, disabled and at zero.
  public init(commandRange: CommandRange, hasReadBack: Bool = true) {
    self.commandRange = commandRange
    self.hasReadBack = hasReadBack
  }

  /// Injects a fault; `value` is the level a shorted driver delivers
  /// (default: full cooling for a TEC, full power for a laser).
  public mutating func inject(_ kind: StageFaultKind, value: Double?) {
    fault = kind
    shortedLevel = commandRange.clamp(value ?? (commandRange == .bipolar ? -1 : 1))
  }

  /// Ends an injected fault: the driver works again.
  public mutating func clearFault() { fault = nil }

  /// The output actually delivered to the load, as a command-range fraction.
  public var deliveredOutput: Double {
    guard received.enabled else { return 0 }
    switch fault {
    case .outputOpen: return 0
    case .driverShorted: return shortedLevel
    case .inverted: return commandRange.clamp(-received.command)
    case nil: return received.command
    }
  }

  /// The output as the driver's own monitor measures it: the delivered
  /// output, except behind swapped leads (``StageFaultKind/inverted``),
  /// which the monitor, before them, does not see.
  public var measuredOutput: Double {
    fault == .inverted && received.enabled ? received.command : deliveredOutput
  }

  /// Records the command (clamped into the range).
  public mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
    received.command = commandRange.clamp(command)
    received.commandNanoseconds = nowNanoseconds
  }

  /// Records the enable line.
  public mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
    received.enabled = enabled
    received.enableNanoseconds = nowNanoseconds
  }

  /// Command zero and enable open; never fails.
  public mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
    received.command = 0
    received.commandNanoseconds = nowNanoseconds
    received.enabled = false
    received.enableNanoseconds = nowNanoseconds
    received.safeOffCount += 1
    return nil
  }

  /// The delivered output, as a current or optical-power monitor would see
  /// it; `nil` for a stage without read-back.
  public mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
    hasReadBack ? measuredOutput : nil
  }
}
