import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import ApplicatorSimulation

/// What a conformance check can see of a stage from outside: the command
/// delivered and whether the enable is closed.
struct StageObservation {
  var command: Double
  var enabled: Bool
}

/// The ``PowerStage`` contract, checked the same way on every backend.
enum PowerStageConformance {
  static func check<Stage: PowerStage>(
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

    // Read-back, where there is one, is a fraction within the range.
    if let measured = try stage.readBack(nowNanoseconds: 5_000_000_000) {
      #expect(measured >= range.lowerBound - 1e-9 && measured <= range.upperBound + 1e-9)
    }
  }
}

@Suite(.tags(.safety)) struct PowerStageConformanceTests {
  @Test(arguments: [CommandRange.bipolar, .unipolar])
  func simulated(range: CommandRange) throws {
    try PowerStageConformance.check(
      { SimulatedPowerStage(commandRange: range) },
      observe: { StageObservation(command: $0.received.command, enabled: $0.received.enabled) })
  }

  /// The sysfs stages through the fake: the command is read back from the
  /// duty cycle files and the direction line, the enable from its line.
  @Test(arguments: ["tec-direction", "tec-dual-pwm", "laser"])
  func sysfs(kind: String) throws {
    let bench = FakeBench()
    func observe(_ stage: BoardPowerStage) -> StageObservation {
      let heat = Double(bench.duty(FakeBench.heat)) / 1000
      let command: Double
      switch kind {
      case "tec-direction": command = bench.heating == true ? heat : -heat
      case "tec-dual-pwm": command = heat - Double(bench.duty(FakeBench.cool)) / 1000
      default: command = heat
      }
      return StageObservation(command: command == 0 ? 0 : command, enabled: bench.enabled == true)
    }
    try PowerStageConformance.check(
      {
        switch kind {
        case "tec-direction": try bench.directionStage()
        case "tec-dual-pwm": try bench.dualStage()
        default: try bench.laserStage()
        }
      }, observe: observe)
  }
}
