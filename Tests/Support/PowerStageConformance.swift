import ApplicatorHAL
import Testing

/// What a conformance check can see of a stage from outside: the command
/// delivered and whether the enable is closed.
public struct StageObservation {
  /// The command the device delivers, fraction of full scale.
  public var command: Double
  /// Whether the device's enable (relay, driver-enable line, OUTPut) is closed.
  public var enabled: Bool

  /// An observation of `command` delivered with the enable `enabled`.
  public init(command: Double, enabled: Bool) {
    self.command = command
    self.enabled = enabled
  }
}

/// The ``PowerStage`` contract, checked the same way on every backend.
public enum PowerStageConformance {
  /// Runs every conformance case on fresh stages from `make`, observing
  /// each from outside with `observe`.
  public static func check<Stage: PowerStage>(
    _ make: () throws -> Stage, observe: (Stage) -> StageObservation
  ) throws {
    // Safe-off reaches command zero and the enable open, and reports no error.
    do {
      var stage = try make()
      try safeOffReachesZeroAndDisabled(&stage, observe: observe)
    }
    do {
      var stage = try make()
      try commandsAreClamped(&stage, observe: observe)
    }
  }

  private static func safeOffReachesZeroAndDisabled<Stage: PowerStage>(
    _ stage: inout Stage, observe: (Stage) -> StageObservation
  ) throws {
    try stage.setEnabled(true, nowNanoseconds: 0)
    #expect(observe(stage).enabled)
    let range = stage.commandRange
    try stage.write(command: range.upperBound * 0.5, nowNanoseconds: 1_000_000_000)
    #expect(observe(stage).command == range.upperBound * 0.5)
    #expect(stage.safeOff(nowNanoseconds: 2_000_000_000) == nil)
    #expect(observe(stage).command == 0)
    #expect(!observe(stage).enabled)
    // Safe-off again is harmless.
    #expect(stage.safeOff(nowNanoseconds: 2_100_000_000) == nil)
    #expect(observe(stage).command == 0 && !observe(stage).enabled)

  }

  private static func commandsAreClamped<Stage: PowerStage>(
    _ stage: inout Stage, observe: (Stage) -> StageObservation
  ) throws {
    // Commands are clamped into the range; NaN is zero.
    let range = stage.commandRange
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: 5, nowNanoseconds: 1_000_000_000)
    #expect(observe(stage).command == range.upperBound)
    try stage.write(command: .nan, nowNanoseconds: 2_000_000_000)
    #expect(observe(stage).command == 0)
    try stage.write(command: -5, nowNanoseconds: 3_000_000_000)
    try stage.write(command: -5, nowNanoseconds: 4_000_000_000)
    #expect(observe(stage).command == range.lowerBound)

    // Read-back, where there is one, is a fraction within the range, or a
    // fault of the read-back (a rig's comes with its sensor fetch).
    do throws(FaultKind) {
      if let measured = try stage.readBack(nowNanoseconds: 5_000_000_000) {
        #expect(measured >= range.lowerBound - 1e-9 && measured <= range.upperBound + 1e-9)
      }
    } catch {
      #expect(error != .disconnected, "the stage's device is still there")
    }
  }
}
