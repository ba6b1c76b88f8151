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

  /// Only ready (1) and run (2) are trusted: error (3), init (0), reset (5, the RAM-only
  /// limits and watchdog lost) and a value not listed (99) fail the read-back and the
  /// interlocks with a fault flag.
  @Test(arguments: [Int32(0), 3, 5, 99])
  func aStatusOtherThanReadyOrRunIsAFault(status: Int32) throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    var snapshot = SensorSnapshot(count: 0)
    applicator.readSensors(nowNanoseconds: 1, into: &snapshot)
    #expect(try applicator.powerStage.readBack(nowNanoseconds: 1) == 0)
    #expect(try applicator.readInterlocks(nowNanoseconds: 1) == .allMade)
    device.report(status: status)
    applicator.readSensors(nowNanoseconds: 2, into: &snapshot)
    #expect(throws: FaultKind.faultFlag) {
      _ = try applicator.powerStage.readBack(nowNanoseconds: 2)
    }
    #expect(throws: FaultKind.faultFlag) { _ = try applicator.readInterlocks(nowNanoseconds: 2) }
  }

  /// The close at the end of a run puts the output off and confirms it by reading back live
  /// enable, output stage enable and the actual current.
  @Test func closeConfirmsTheOutputOff() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 0)
    try applicator.powerStage.write(command: 0.5, nowNanoseconds: 0)
    #expect(device.observation.enabled)
    #expect(applicator.close(nowNanoseconds: 1) == nil)
    #expect(!device.observation.enabled)
    #expect(device.value(MeComParameter.outputStageEnable) == 0)
  }

  /// An instrument gone silent at the end cannot be confirmed off: the close says so
  /// (the run reports it and exits 74) instead of ending as if the output were off.
  @Test func aSilentInstrumentAtTheEndIsNotConfirmedOff() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 0)
    try applicator.powerStage.write(command: 0.5, nowNanoseconds: 0)
    device.misbehave(.deaf)
    #expect(applicator.close(nowNanoseconds: 1) == .timedOut)
    #expect(device.observation.enabled, "the scripted output is still on: only a watchdog cuts it")
  }

  /// An output the instrument reports still enabled after the close is not confirmed off.
  @Test func anOutputReadBackOnAtTheEndIsAFault() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    device.alter(MeComParameter.outputStageEnable, to: 2)
    #expect(applicator.close(nowNanoseconds: 1) == .faultFlag)
  }

  /// An enable never turns on a stale current: live current is written 0 before the
  /// output is enabled.
  @Test func anEnableStartsFromZeroCurrent() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 0)
    try applicator.powerStage.write(command: 0.5, nowNanoseconds: 0)
    try applicator.powerStage.setEnabled(false, nowNanoseconds: 1)
    #expect(device.value(MeComParameter.liveCurrent) == Float(2).bitPattern)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 2)
    #expect(device.value(MeComParameter.liveCurrent) == 0)
    #expect(device.observation.enabled && device.observation.command == 0)
  }

  /// An instrument found in its error state (or any status but ready or run) is refused at
  /// connect, naming its error number, and nothing is written but the output off.
  @Test(arguments: [Int32(0), 3, 5, 99])
  func anInstrumentNotReadyIsRefusedAtConnect(status: Int32) throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    device.report(status: status)
    #expect {
      _ = try connect(device)
    } throws: { error in
      guard case MeComConnectError.mismatch(let message) = error else { return false }
      let number = status == MeComParameter.statusError ? "108" : "0"
      return message.contains("device status \(status)")
        && message.contains("error number \(number) (105)")
    }
    #expect(device.value(MeComParameter.currentLimit) == nil)
    #expect(device.value(MeComParameter.outputStageEnable) == 0)
  }

  /// A clean close disarms the watchdog once the output is confirmed off.
  @Test func aCleanCloseDisarmsTheWatchdog() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    #expect(device.value(MeComParameter.communicationWatchdog) == Float(1).bitPattern)
    #expect(applicator.close(nowNanoseconds: 1) == nil)
    #expect(device.value(MeComParameter.communicationWatchdog) == Float(0).bitPattern)
  }

  /// A read-back at least as strict as written is kept (a float rounded down, a tighter
  /// limit); a looser one, a watchdog read back off, or a NaN refuses the instrument.
  @Test(arguments: [
    (MeComParameter.currentLimit, Float(3.4), true),
    (MeComParameter.currentLimit, Float(3.6), false),
    (MeComParameter.objectLowerErrorThreshold, Float(-19), true),
    (MeComParameter.objectLowerErrorThreshold, Float(-21), false),
    (MeComParameter.objectUpperErrorThreshold, Float(39), true),
    (MeComParameter.objectUpperErrorThreshold, Float(41), false),
    (MeComParameter.communicationWatchdog, Float(0.5), true),
    (MeComParameter.communicationWatchdog, Float(0), false),
    (MeComParameter.communicationWatchdog, Float(2), false),
    (MeComParameter.currentLimit, Float.nan, false),
  ])
  func aReadBackAtLeastAsStrictIsKept(parameter: UInt16, readBack: Float, kept: Bool) throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    device.alter(parameter, to: readBack.bitPattern)
    if kept {
      _ = try connect(device)
    } else {
      #expect {
        _ = try connect(device)
      } throws: { error in
        guard case MeComConnectError.mismatch(let message) = error else { return false }
        return message.contains("(\(parameter)) written")
      }
    }
  }

  /// A safe-off writes output stage enable static off until acknowledged; the safe ticks
  /// after it re-assert only the two live parameters (three requests, then two), and an
  /// enable puts output stage enable back to live, so the next safe-off writes it again.
  @Test func safeTicksReassertOnlyTheLiveParameters() throws {
    let device = try ScriptedMeComDevice()
    defer { device.stop() }
    var applicator = try connect(device)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 0)
    var before = applicator.link.requestsSent
    #expect(applicator.powerStage.safeOff(nowNanoseconds: 1) == nil)
    #expect(applicator.link.requestsSent - before == 3)
    #expect(device.value(MeComParameter.outputStageEnable) == 0)
    before = applicator.link.requestsSent
    #expect(applicator.powerStage.safeOff(nowNanoseconds: 2) == nil)
    #expect(applicator.link.requestsSent - before == 2)
    try applicator.powerStage.setEnabled(true, nowNanoseconds: 3)
    #expect(device.value(MeComParameter.outputStageEnable) == 2)
    #expect(applicator.powerStage.safeOff(nowNanoseconds: 4) == nil)
    #expect(device.value(MeComParameter.outputStageEnable) == 0)
  }

  /// A line that never stops talking is no instrument to take turns with: the drain before
  /// a request is bounded (bytes, or the reply deadline) and ends in a protocol error,
  /// nothing sent.
  @Test func aBabblingLineIsAProtocolErrorNotAHang() {
    let stream = BabblingStream()
    let link = MeComLink(stream: stream, address: 0, replyTimeoutNanoseconds: 60_000_000_000)
    #expect(throws: FaultKind.protocolError) { _ = try link.readInt(MeComParameter.deviceType) }
    #expect(stream.written == 0 && link.requestsSent == 0)
    #expect(stream.reads <= MeComLink.drainBudgetBytes / 8 + 1)
  }
}

/// A stream that always has eight bytes of noise waiting and takes every write.
private final class BabblingStream: ByteStream {
  var reads = 0
  var written = 0
  func write(_ bytes: [UInt8], deadlineNanoseconds: UInt64) throws(FaultKind) {
    written += bytes.count
  }
  func readLine(maximumBytes: Int, deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8] {
    throw .timedOut
  }
  func readBytes(deadlineNanoseconds: UInt64) throws(FaultKind) -> [UInt8] {
    reads += 1
    return Array(repeating: 0x21, count: 8)
  }
  func discardInput() {}
  func close() {}
}
