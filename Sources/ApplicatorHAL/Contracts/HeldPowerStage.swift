/// A power stage with no hardware behind it: it holds the command and the
/// enable it was given, and its read-back is the held output plus an error
/// measured elsewhere.
///
/// For a core that runs on readings it does not produce: the parity
/// program and the firmware image, fed a recorded or a host's tick at a
/// time, where the read-back error is the one measured on the plant's stage
/// (so the plant's read-back faults still reach this core's supervisor).
public struct HeldPowerStage: PowerStage {
  /// What commands the stage accepts.
  public let commandRange: CommandRange
  /// The command the stage holds.
  public private(set) var command = 0.0
  /// Whether the stage's enable is closed.
  public private(set) var enabled = false
  /// Read-back minus the held output for this tick; `nil`: no read-back.
  public var readBackError: Double? = nil

  /// A stage at command 0 with its enable open.
  public init(commandRange: CommandRange) {
    self.commandRange = commandRange
  }

  /// Holds the command, clamped to the range.
  public mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
    self.command = commandRange.clamp(command)
  }

  /// Holds the enable.
  public mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
    self.enabled = enabled
  }

  /// Command 0, enable open; always confirmed.
  public mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
    command = 0
    enabled = false
    return nil
  }

  /// The held output (0 while the enable is open) plus ``readBackError``.
  public mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
    readBackError.map { (enabled ? command : 0) + $0 }
  }
}
