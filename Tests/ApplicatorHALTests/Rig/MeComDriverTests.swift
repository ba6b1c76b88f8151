import Foundation
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import InstrumentProtocols

/// The settings the driver tests connect with: a TEC-1091 at address 0, object temperature
/// in slot 0 and sink temperature in slot 1, 4 A full scale, positive current heating.
private func settings(channels: Int = 2) -> MeComSettings {
  MeComSettings(
    address: 0, deviceType: 1091,
    channels: Array(
      [
        MeComChannel(parameterID: MeComParameter.objectTemperature, instance: 1),
        MeComChannel(parameterID: MeComParameter.sinkTemperature, instance: 1),
      ].prefix(channels)),
    fullScaleCurrentAmperes: 4, heatingCurrentSign: 1, currentLimitAmperes: 3.5,
    objectLowCelsius: -20, objectHighCelsius: 40, watchdogSeconds: 1)
}

/// A reply deadline well above a loaded machine's stalls: these suites test what the driver
/// makes of each answer, not its timing.
private let replyTimeout: UInt64 = 300_000_000

/// A scripted device and the driver connected to it over a real pty.
private func connect(_ device: ScriptedMeComDevice, channels: Int = 2) throws -> MeComApplicator {
  let link = MeComLink(
    stream: try SerialPort(path: device.pty.slavePath), address: 0,
    replyTimeoutNanoseconds: replyTimeout)
  return try MeComApplicator(link: link, settings: settings(channels: channels))
}

private struct MeComSensorBench: SensorBench {
  let device: ScriptedMeComDevice
  var applicator: MeComApplicator
  let resolutionCelsius = 0.001
  let failures = [
    SensorFailure("a NaN object temperature", expected: .faultFlag),
    SensorFailure("server error 9 on the read", expected: .invalidValue),
    SensorFailure("an instrument silent on the read", expected: .timedOut),
    SensorFailure("a reply with a wrong CRC", expected: .protocolError),
  ]

  init() throws {
    device = try ScriptedMeComDevice()
    applicator = try connect(device, channels: 1)
  }

  func present(celsius: Double) throws { device.present([celsius, 25]) }

  func stage(_ failure: SensorFailure) throws {
    switch failure.expected {
    case .faultFlag: device.misbehave(.notANumber)
    case .invalidValue: device.misbehave(.refused)
    case .timedOut: device.misbehave(.silent)
    default: device.misbehave(.badCRC)
    }
  }

  mutating func read(nowNanoseconds: UInt64) throws -> SensorReading {
    var snapshot = SensorSnapshot(count: 0)
    applicator.readSensors(nowNanoseconds: nowNanoseconds, into: &snapshot)
    return snapshot.readings[0]
  }
}

private struct MeComApplicatorBench: ApplicatorBench {
  let device: ScriptedMeComDevice
  var applicator: MeComApplicator
  let resolutionCelsius = 0.001
  private var presented: [Double] = [20, 25]

  init() throws {
    device = try ScriptedMeComDevice()
    applicator = try connect(device)
  }

  mutating func present(celsius: [Double]) throws {
    presented = celsius
    device.present(celsius)
  }

  mutating func truth() -> [Double] { presented }
  mutating func present(interlocks: Interlocks) throws -> Bool { false }
  mutating func breakInterlockRead() throws -> Bool { false }

  mutating func unplug() throws -> FaultKind? {
    device.stop()
    return .disconnected
  }

  mutating func observeStage() -> StageObservation { device.observation }
}

/// The MeCom host driver behind the HAL contracts, over a real pty against a scripted
/// instrument: the same conformance suites as every backend, the connect sequence, and a
/// refusal on a limit the instrument does not keep.
@Suite(.tags(.safety, .io), .serialized) struct MeComDriverTests {
  @Test func powerStageConformance() throws {
    var devices: [ScriptedMeComDevice] = []
    defer { for device in devices { device.stop() } }
    try PowerStageConformance.check(
      {
        let device = try ScriptedMeComDevice()
        devices.append(device)
        return try connect(device).powerStage
      },
      observe: { _ in devices.last?.observation ?? StageObservation(command: .nan, enabled: true) }
    )
  }

  @Test func sensorConformance() throws {
    var benches: [MeComSensorBench] = []
    defer { for bench in benches { bench.device.stop() } }
    try SensorConformance.check {
      let bench = try MeComSensorBench()
      benches.append(bench)
      return bench
    }
  }

  @Test func applicatorConformance() throws {
    var devices: [ScriptedMeComDevice] = []
    defer { for device in devices { device.stop() } }
    try ApplicatorConformance.check {
      let bench = try MeComApplicatorBench()
      devices.append(bench.device)
      return bench
    }
  }

  /// Connecting writes the limits, the watchdog, live current input and flash save off,
  /// and leaves the output stage live with live enable 0 and live current 0: off.
  @Test func connectWritesTheLimitsAndLeavesTheOutputOff() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    let applicator = try connect(device)
    #expect(applicator.identity.deviceType == 1091)
    #expect(device.value(MeComParameter.currentLimit) == Float(3.5).bitPattern)
    #expect(device.value(MeComParameter.objectLowerErrorThreshold) == Float(-20).bitPattern)
    #expect(device.value(MeComParameter.objectUpperErrorThreshold) == Float(40).bitPattern)
    #expect(device.value(MeComParameter.communicationWatchdog) == Float(1).bitPattern)
    #expect(device.value(MeComParameter.inputSelection) == 1)
    #expect(device.value(MeComParameter.flashSaveOff) == 1)
    #expect(device.value(MeComParameter.outputStageEnable) == 2)
    #expect(device.value(MeComParameter.liveEnable) == 0)
    #expect(device.value(MeComParameter.liveCurrent) == 0)
    #expect(!device.observation.enabled)
  }

  /// A command of +1 is full heating whichever polarity heats: with negative current
  /// heating, +0.5 is sent as −2 A.
  @Test func theHeatingPolarityIsTheRigFiles() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var wiring = settings()
    wiring.heatingCurrentSign = -1
    let link = MeComLink(
      stream: try SerialPort(path: device.pty.slavePath), address: 0,
      replyTimeoutNanoseconds: replyTimeout)
    var applicator = try MeComApplicator(link: link, settings: wiring)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 0)
    try applicator.powerStage.write(command: 0.5, nowNanoseconds: 0)
    #expect(device.value(MeComParameter.liveCurrent) == Float(-2).bitPattern)
    var snapshot = SensorSnapshot(count: 0)
    applicator.readSensors(nowNanoseconds: 1, into: &snapshot)
    #expect(try applicator.powerStage.readBack(nowNanoseconds: 1) == 0.5)
  }

  /// An instrument that does not keep the current limit written into it is refused, and its
  /// output is put off.
  @Test func aLimitNotKeptRefusesTheInstrument() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    device.alter(MeComParameter.currentLimit, to: Float(6).bitPattern)
    #expect {
      _ = try connect(device)
    } throws: { error in
      guard case MeComConnectError.mismatch(let message) = error else { return false }
      return message.contains("current limit (2030)") && message.contains("read back 6")
    }
    #expect(device.value(MeComParameter.outputStageEnable) == 0)
    #expect(device.value(MeComParameter.liveEnable) == 0)
  }

  /// Another device type is refused before anything is written.
  @Test func anotherDeviceTypeIsRefused() throws {
    let device = try ScriptedMeComDevice(deviceType: 1122)
    defer { device.stop() }
    #expect {
      _ = try connect(device)
    } throws: { error in
      guard case MeComConnectError.mismatch(let message) = error else { return false }
      return message.contains("1122") && message.contains("1091")
    }
    #expect(device.value(MeComParameter.currentLimit) == nil)
  }

  /// An instrument silent on a temperature read ends the fetch there: one request, every
  /// slot, the read-back and the interlocks failed with the timeout (counted in requests,
  /// not time, so that a loaded machine cannot change the verdict).
  @Test func aSilentInstrumentCostsOneDeadlinePerTick() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    device.misbehave(.silent)
    let before = applicator.link.requestsSent
    var snapshot = SensorSnapshot(count: 0)
    applicator.readSensors(nowNanoseconds: 1, into: &snapshot)
    #expect(applicator.link.requestsSent - before == 1)
    #expect(snapshot.readings[0] == .fault(.timedOut) && snapshot.readings[1] == .fault(.timedOut))
    #expect(throws: FaultKind.timedOut) {
      _ = try applicator.powerStage.readBack(nowNanoseconds: 1)
    }
    #expect(throws: FaultKind.timedOut) { _ = try applicator.readInterlocks(nowNanoseconds: 1) }
  }

  /// No instrument on the line: no answer, named.
  @Test func aSilentLineIsNoAnswer() throws {
    let pty = try PseudoTerminal()
    defer { pty.close() }
    let link = MeComLink(
      stream: try SerialPort(path: pty.slavePath), address: 0, replyTimeoutNanoseconds: 100_000_000)
    #expect(throws: MeComConnectError.self) {
      _ = try MeComApplicator(link: link, settings: settings())
    }
  }
}
