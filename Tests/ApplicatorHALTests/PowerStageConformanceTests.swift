import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import ApplicatorSimulation

@Suite(.tags(.safety)) struct PowerStageConformanceTests {
  @Test(arguments: [CommandRange.bipolar, .unipolar])
  func simulated(range: CommandRange) throws {
    try PowerStageConformance.check(
      { SimulatedPowerStage(commandRange: range) },
      observe: { StageObservation(command: $0.received.command, enabled: $0.received.enabled) })
  }

  /// The held stage of the parity program and the firmware image; its
  /// read-back (held output plus the error measured elsewhere) is checked
  /// by hand below.
  @Test(arguments: [CommandRange.bipolar, .unipolar])
  func held(range: CommandRange) throws {
    try PowerStageConformance.check(
      { HeldPowerStage(commandRange: range) },
      observe: { StageObservation(command: $0.command, enabled: $0.enabled) })
  }

  @Test func aHeldStageReadsBackItsOutputPlusTheMeasuredError() throws {
    var stage = HeldPowerStage(commandRange: .bipolar)
    #expect(try stage.readBack(nowNanoseconds: 0) == nil, "no error measured: no read-back")
    stage.readBackError = 0.25
    try stage.write(command: -0.5, nowNanoseconds: 0)
    #expect(try stage.readBack(nowNanoseconds: 0) == 0.25, "enable open: the output is 0")
    try stage.setEnabled(true, nowNanoseconds: 0)
    #expect(try stage.readBack(nowNanoseconds: 0) == -0.25)
    #expect(stage.safeOff(nowNanoseconds: 0) == nil)
    #expect(stage.command == 0 && !stage.enabled)
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
