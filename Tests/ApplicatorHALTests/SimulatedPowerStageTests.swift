import ApplicatorHAL
import ApplicatorSimulation
import TestSupport
import Testing

@Suite("SimulatedPowerStage")
struct SimulatedPowerStageTests {
  @Test("a new stage is disabled, at zero, and delivers nothing")
  func initialState() throws {
    var stage = SimulatedPowerStage(commandRange: .bipolar)
    #expect(stage.received.command == 0)
    #expect(!stage.received.enabled)
    #expect(stage.received.safeOffCount == 0)
    #expect(stage.deliveredOutput == 0)
    #expect(try stage.readBack(nowNanoseconds: 0) == 0)
    #expect(stage.fault == nil)
  }

  @Test("the received record keeps the last command, the enable, and when each was written")
  func receivedRecord() throws {
    var stage = SimulatedPowerStage(commandRange: .bipolar)
    try stage.setEnabled(true, nowNanoseconds: 100)
    try stage.write(command: -0.4, nowNanoseconds: 200)
    try stage.write(command: 0.25, nowNanoseconds: 300)
    #expect(stage.received.command == 0.25)
    #expect(stage.received.commandNanoseconds == 300)
    #expect(stage.received.enabled)
    #expect(stage.received.enableNanoseconds == 100)
    #expect(stage.received.safeOffCount == 0)
    #expect(stage.deliveredOutput == 0.25)
    #expect(try stage.readBack(nowNanoseconds: 300) == 0.25)
  }

  @Test(
    "commands are clamped into the range; NaN becomes 0",
    arguments: [
      (CommandRange.bipolar, 1.5, 1.0), (.bipolar, -3.0, -1.0), (.bipolar, -0.7, -0.7),
      (.bipolar, Double.nan, 0.0), (.unipolar, -0.2, 0.0), (.unipolar, 1.2, 1.0),
      (.unipolar, 0.6, 0.6), (.unipolar, Double.nan, 0.0), (.bipolar, Double.infinity, 1.0),
      (.unipolar, -Double.infinity, 0.0),
    ])
  func clamp(range: CommandRange, command: Double, expected: Double) throws {
    var stage = SimulatedPowerStage(commandRange: range)
    try stage.setEnabled(true, nowNanoseconds: 0)
    try stage.write(command: command, nowNanoseconds: 1)
    #expect(stage.received.command == expected)
    #expect(stage.deliveredOutput == expected)
  }

  @Test("the enable is a cut of its own: a disabled stage delivers nothing whatever the command")
  func enableCuts() throws {
    var stage = SimulatedPowerStage(commandRange: .unipolar)
    try stage.write(command: 0.8, nowNanoseconds: 1)
    #expect(stage.deliveredOutput == 0)
    try stage.setEnabled(true, nowNanoseconds: 2)
    #expect(stage.deliveredOutput == 0.8)
    try stage.setEnabled(false, nowNanoseconds: 3)
    #expect(stage.deliveredOutput == 0)
    #expect(stage.received.command == 0.8)
  }

  @Test("safeOff zeroes the command and opens the enable, and is counted", .tags(.safety))
  func safeOff() throws {
    var stage = SimulatedPowerStage(commandRange: .bipolar)
    try stage.setEnabled(true, nowNanoseconds: 10)
    try stage.write(command: -1, nowNanoseconds: 20)
    #expect(stage.safeOff(nowNanoseconds: 30) == nil)
    #expect(stage.received.command == 0)
    #expect(stage.received.commandNanoseconds == 30)
    #expect(!stage.received.enabled)
    #expect(stage.received.enableNanoseconds == 30)
    #expect(stage.received.safeOffCount == 1)
    #expect(stage.deliveredOutput == 0)
    _ = stage.safeOff(nowNanoseconds: 40)
    #expect(stage.received.safeOffCount == 2)
  }

  @Test(
    "a shorted driver delivers its level only while enabled, whatever the command",
    .tags(.safety),
    arguments: [
      (CommandRange.bipolar, nil, -1.0), (.bipolar, 0.6, 0.6), (.bipolar, -2.0, -1.0),
      (.unipolar, nil, 1.0), (.unipolar, 0.3, 0.3),
    ] as [(CommandRange, Double?, Double)])
  func driverShorted(range: CommandRange, value: Double?, level: Double) throws {
    var stage = SimulatedPowerStage(commandRange: range)
    stage.inject(.driverShorted, value: value)
    #expect(stage.fault == .driverShorted)
    #expect(stage.deliveredOutput == 0)  // disabled: the enable cuts it
    try stage.setEnabled(true, nowNanoseconds: 1)
    try stage.write(command: 0, nowNanoseconds: 2)
    #expect(stage.deliveredOutput == level)
    #expect(try stage.readBack(nowNanoseconds: 2) == level)
    _ = stage.safeOff(nowNanoseconds: 3)
    #expect(stage.received.command == 0)
    #expect(stage.deliveredOutput == 0)
    #expect(try stage.readBack(nowNanoseconds: 3) == 0)
  }

  @Test("an open output delivers nothing whatever the command and the enable", .tags(.safety))
  func outputOpen() throws {
    var stage = SimulatedPowerStage(commandRange: .bipolar)
    stage.inject(.outputOpen, value: nil)
    try stage.setEnabled(true, nowNanoseconds: 1)
    for command in [-1.0, -0.5, 0.5, 1.0] {
      try stage.write(command: command, nowNanoseconds: 2)
      #expect(stage.received.command == command)
      #expect(stage.deliveredOutput == 0)
      #expect(try stage.readBack(nowNanoseconds: 2) == 0)
    }
  }

  @Test("a stage without read-back reads nil, whatever it delivers")
  func noReadBack() throws {
    var stage = SimulatedPowerStage(commandRange: .unipolar, hasReadBack: false)
    #expect(!stage.hasReadBack)
    #expect(try stage.readBack(nowNanoseconds: 0) == nil)
    try stage.setEnabled(true, nowNanoseconds: 1)
    try stage.write(command: 0.7, nowNanoseconds: 2)
    #expect(stage.deliveredOutput == 0.7)
    #expect(try stage.readBack(nowNanoseconds: 2) == nil)
    stage.inject(.driverShorted, value: nil)
    #expect(stage.deliveredOutput == 1)
    #expect(try stage.readBack(nowNanoseconds: 3) == nil)
    // The default has read-back.
    var measured = SimulatedPowerStage(commandRange: .unipolar)
    #expect(measured.hasReadBack)
    #expect(try measured.readBack(nowNanoseconds: 0) == 0)
  }
}
