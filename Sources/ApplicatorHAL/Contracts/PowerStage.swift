/// The range of commands a power stage accepts.
public enum CommandRange: UInt8, Sendable, Equatable {
  /// −1 … +1, for a thermoelectric cooler: **+1 is full heating, −1 full cooling**.
  ///
  /// Temperature rises with the command in every mode, so the controller
  /// never flips its direction; the rig protocol uses the same sign.
  case bipolar
  /// 0 … 1 of the maximum output, for a laser or a heater.
  case unipolar

  /// The lowest command of the range.
  public var lowerBound: Double { self == .bipolar ? -1 : 0 }
  /// The highest command of the range.
  public var upperBound: Double { 1 }

  /// Clamps a command into the range; a NaN becomes 0 (output off).
  public func clamp(_ command: Double) -> Double {
    guard command == command else { return 0 }
    return min(max(command, lowerBound), upperBound)
  }
}

/// A power stage: a TEC driver, a laser driver, a heater.
///
/// The stage has two independent cuts: the normalised command and an
/// **enable** (a relay or a driver-enable line). The enable is the second,
/// independent cut for a driver that fails shorted and ignores a zero command.
public protocol PowerStage {
  /// What commands the stage accepts.
  var commandRange: CommandRange { get }

  /// Writes a normalised command (see ``CommandRange``).
  mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind)

  /// Closes (`true`) or opens (`false`) the enable line.
  mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind)

  /// Puts the stage in its safe state: command zero **and** enable opened.
  ///
  /// It cannot fail from the caller's point of view: an implementation tries
  /// every cut even when one of them reports an error, and returns the first
  /// error it met so the caller can report it.
  mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind?

  /// The measured output as a fraction of full scale (drive current, optical
  /// power), or `nil` when the stage has no read-back.
  ///
  /// The measurement may lag the command by the driver's own response time.
  mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double?
}
