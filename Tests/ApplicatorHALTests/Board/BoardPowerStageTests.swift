import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A fake board with a PWM chip and a GPIO chip, and stages built on it.
struct FakeBench {
  let fake = FakeBoardIO()
  static let chip = "/dev/gpiochip0"
  static let magnitude = "/sys/class/pwm/pwmchip0/pwm0/duty_cycle"
  static let heat = "/sys/class/pwm/pwmchip0/pwm0/duty_cycle"
  static let cool = "/sys/class/pwm/pwmchip0/pwm1/duty_cycle"
  static let enableKey = "/dev/gpiochip0:5"
  static let directionKey = "/dev/gpiochip0:6"

  init() {
    fake.addPWMChip(0, channels: 2)
    fake.chips[FakeBench.chip] = 32
  }

  func pwm(_ channel: Int, period: UInt64 = 1_000) throws -> PWMChannel {
    try PWMChannel(
      io: fake, location: try PWMLocation(io: fake, chip: 0, channel: channel),
      periodNanoseconds: period)
  }

  func output(_ offset: UInt32, activeLow: Bool = false) throws -> GPIOOutputLine {
    try GPIOOutputLine(
      io: fake, location: try GPIOLineLocation(io: fake, chip: "gpiochip0", offset: offset),
      activeLow: activeLow)
  }

  func directionStage(deadTime: UInt64 = 10_000_000) throws -> BoardPowerStage {
    BoardPowerStage(
      drive: .directionBridge(magnitude: try pwm(0), heatDirection: try output(6)),
      enableLine: try output(5), deadTimeNanoseconds: deadTime)
  }

  func dualStage(deadTime: UInt64 = 10_000_000) throws -> BoardPowerStage {
    BoardPowerStage(
      drive: .dualPWM(heat: try pwm(0), cool: try pwm(1)), enableLine: try output(5),
      deadTimeNanoseconds: deadTime)
  }

  func laserStage() throws -> BoardPowerStage {
    BoardPowerStage(drive: .single(try pwm(0)), enableLine: try output(5))
  }

  func duty(_ path: String) -> Int { Int(fake.value(path) ?? "") ?? -1 }
  var enabled: Bool? { fake.lineLevels[FakeBench.enableKey] }
  var heating: Bool? { fake.lineLevels[FakeBench.directionKey] }
}

@Suite(.tags(.safety)) struct BoardPowerStageTests {
  @Test func linesAreRequestedAsInactiveOutputs() throws {
    let bench = FakeBench()
    let stage = try bench.directionStage()
    defer { withExtendedLifetime(stage) {} }
    #expect(bench.enabled == false)
    #expect(bench.heating == false)
    #expect(bench.fake.requests[FakeBench.enableKey] == GPIOv2.flagOutput)
    let activeLow = try bench.output(9, activeLow: true)
    defer { withExtendedLifetime(activeLow) {} }
    #expect(activeLow.isActive == false)
    #expect(bench.fake.requests["/dev/gpiochip0:9"] == GPIOv2.flagOutput | GPIOv2.flagActiveLow)
  }

  @Test func aLineBeyondTheChipIsOutOfRange() {
    let bench = FakeBench()
    let error = #expect(throws: BoardOpenError.self) {
      _ = try GPIOLineLocation(io: bench.fake, chip: "gpiochip0", offset: 40)
    }
    #expect(error?.fault == .outOfRange)
    #expect(error?.message.contains("has 32 lines") == true)
  }

  /// +1 heats: the direction line goes active; −1 cools: inactive. A flip
  /// holds zero output for the dead time (10 ms) before the line changes,
  /// and the line never changes while the duty is above zero.
  @Test func theDirectionFlipsOnlyAfterTheDeadTimeAtZero() throws {
    let bench = FakeBench()
    var stage = try bench.directionStage()
    _ = stage.safeOff(nowNanoseconds: 0)
    try stage.setEnabled(true, nowNanoseconds: 0)
    #expect(bench.enabled == true)
    try stage.write(command: -0.5, nowNanoseconds: 0)  // cooling: the line's resting direction
    #expect(bench.heating == false && bench.duty(FakeBench.magnitude) == 500)
    try stage.write(command: 0.8, nowNanoseconds: 100_000_000)
    #expect(bench.duty(FakeBench.magnitude) == 0, "output to zero first")
    #expect(bench.heating == false, "direction not yet flipped")
    try stage.write(command: 0.8, nowNanoseconds: 105_000_000)
    #expect(bench.duty(FakeBench.magnitude) == 0 && bench.heating == false, "5 ms < dead time")
    try stage.write(command: 0.8, nowNanoseconds: 110_000_000)
    #expect(bench.heating == true && bench.duty(FakeBench.magnitude) == 800)
    #expect(stage.deliveredCommand == 0.8)
    // The log: every direction change happens with the duty at 0.
    var duty = 0
    for entry in bench.fake.log {
      if entry.hasPrefix(FakeBench.magnitude + "=") {
        duty = Int(entry.split(separator: "=")[1]) ?? -1
      }
      if entry.hasPrefix(FakeBench.directionKey + "=") { #expect(duty == 0, "\(entry)") }
    }
  }

  @Test func aTwoPWMBridgeNeverDrivesBothSides() throws {
    let bench = FakeBench()
    var stage = try bench.dualStage(deadTime: 0)
    _ = stage.safeOff(nowNanoseconds: 0)
    try stage.setEnabled(true, nowNanoseconds: 0)
    var time: UInt64 = 0
    for command in [0.5, -0.3, -1, 0.2, 0, 1, -0.7] {
      time += 1_000_000
      try stage.write(command: command, nowNanoseconds: time)
      #expect(bench.duty(FakeBench.heat) == 0 || bench.duty(FakeBench.cool) == 0)
      // Two writes per flip: the first drops to zero, the next drives the new side.
      time += 1_000_000
      try stage.write(command: command, nowNanoseconds: time)
      let expectedHeat = command > 0 ? Int((command * 1000).rounded()) : 0
      let expectedCool = command < 0 ? Int((-command * 1000).rounded()) : 0
      #expect(bench.duty(FakeBench.heat) == expectedHeat)
      #expect(bench.duty(FakeBench.cool) == expectedCool)
    }
  }

  /// The dead time holds on a two-input bridge too: 20 ms with both
  /// inputs at zero before the other side is driven.
  @Test func aTwoPWMBridgeHoldsZeroForTheDeadTime() throws {
    let bench = FakeBench()
    var stage = try bench.dualStage(deadTime: 20_000_000)
    _ = stage.safeOff(nowNanoseconds: 0)
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: 0.5, nowNanoseconds: 0)
    #expect(bench.duty(FakeBench.heat) == 500 && bench.duty(FakeBench.cool) == 0)
    try stage.write(command: -0.6, nowNanoseconds: 100_000_000)
    #expect(bench.duty(FakeBench.heat) == 0 && bench.duty(FakeBench.cool) == 0)
    try stage.write(command: -0.6, nowNanoseconds: 119_000_000)
    #expect(bench.duty(FakeBench.cool) == 0, "19 ms < dead time")
    #expect(stage.deliveredCommand == 0)
    try stage.write(command: -0.6, nowNanoseconds: 120_000_000)
    #expect(bench.duty(FakeBench.heat) == 0 && bench.duty(FakeBench.cool) == 600)
    #expect(stage.deliveredCommand == -0.6)
  }

  /// A write that fails halfway through a flip (the heating side's zero is
  /// refused, EIO) leaves the stage driven; safe-off still reaches duty 0
  /// on both inputs and opens the enable, even when its own first cut
  /// fails again.
  @Test func aFlipThatFailsHalfwayIsStillCutBySafeOff() throws {
    let bench = FakeBench()
    var stage = try bench.dualStage(deadTime: 20_000_000)
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: 0.7, nowNanoseconds: 0)
    bench.fake.writeErrors[FakeBench.heat] = [EIO, EIO]
    #expect(throws: FaultKind.io) { try stage.write(command: -0.7, nowNanoseconds: 1_000_000) }
    #expect(bench.duty(FakeBench.heat) == 700, "the failed write left the heating side on")
    #expect(stage.safeOff(nowNanoseconds: 2_000_000) == .io)
    #expect(bench.duty(FakeBench.cool) == 0)
    #expect(bench.enabled == false, "the enable opens although the heat cut failed")
    #expect(stage.safeOff(nowNanoseconds: 3_000_000) == nil)
    #expect(bench.duty(FakeBench.heat) == 0)
  }

  /// The same on a direction bridge: the line flips, then the magnitude
  /// write fails; safe-off writes duty 0 and opens the enable.
  @Test func aDirectionFlipWhoseMagnitudeWriteFailsIsCutBySafeOff() throws {
    let bench = FakeBench()
    var stage = try bench.directionStage(deadTime: 10_000_000)
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: -0.5, nowNanoseconds: 0)
    try stage.write(command: 0.9, nowNanoseconds: 1_000_000)
    bench.fake.writeErrors[FakeBench.magnitude] = [EIO]
    #expect(throws: FaultKind.io) { try stage.write(command: 0.9, nowNanoseconds: 20_000_000) }
    #expect(bench.heating == true, "the line flipped before the failed write")
    #expect(stage.safeOff(nowNanoseconds: 21_000_000) == nil)
    #expect(bench.duty(FakeBench.magnitude) == 0)
    #expect(bench.enabled == false)
    #expect(bench.fake.log.last == "\(FakeBench.enableKey)=0")
  }

  /// Once driving is refused (a failed keepalive), every write and every
  /// closing of the enable throw the fault; safe-off still works.
  @Test func aRefusedStageThrowsOnEveryDriveButStillGoesSafe() throws {
    let bench = FakeBench()
    var stage = try bench.directionStage()
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: -0.5, nowNanoseconds: 0)
    stage.refuseDriving(.io)
    stage.refuseDriving(.busy)
    #expect(throws: FaultKind.io) { try stage.write(command: 0, nowNanoseconds: 1) }
    #expect(throws: FaultKind.io) { try stage.setEnabled(true, nowNanoseconds: 1) }
    #expect(stage.safeOff(nowNanoseconds: 2) == nil)
    #expect(bench.duty(FakeBench.magnitude) == 0 && bench.enabled == false)
  }

  @Test func aLaserStageIsUnipolar() throws {
    let bench = FakeBench()
    var stage = try bench.laserStage()
    #expect(stage.commandRange == .unipolar)
    try stage.write(command: -0.4, nowNanoseconds: 0)
    #expect(bench.duty(FakeBench.magnitude) == 0)
    try stage.write(command: 0.4, nowNanoseconds: 1)
    #expect(bench.duty(FakeBench.magnitude) == 400)
  }

  /// Safe-off tries every cut: with the duty write failing (EIO), the
  /// enable line still opens, and the error is returned.
  @Test func safeOffOpensTheEnableEvenWhenThePWMFails() throws {
    let bench = FakeBench()
    var stage = try bench.directionStage()
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: -1, nowNanoseconds: 0)
    bench.fake.writeErrors[FakeBench.magnitude] = [EIO]
    #expect(stage.safeOff(nowNanoseconds: 1) == .io)
    #expect(bench.enabled == false)
    #expect(stage.safeOff(nowNanoseconds: 2) == nil)
    #expect(bench.duty(FakeBench.magnitude) == 0)
  }
}
