import ApplicatorLinux
import InstrumentProtocols
import Testing

@testable import DevsimKit

/// The emulated TEC-1091's own behaviour, on its parameter table directly (virtual time):
/// the output's enable logic, its current limit, its watchdog and its thresholds.
@Suite struct MeComEmulatorTests {
  private func emulator() throws -> MeComEmulator {
    let profile = try ProfileLoader.load(
      repositoryRoot.appendingPathComponent("rigs/cryolipolysis-tec-1091.json").path
    ).profile
    return MeComEmulator(profile: profile)
  }

  private func set(_ emulator: inout MeComEmulator, _ parameter: UInt16, _ value: MeComValue)
    -> MeComServerError?
  {
    emulator.write(parameterID: parameter, instance: 1, bits: value.bits)
  }

  /// Live current drives the output only with input selection live and output stage enable
  /// live with live enable 1 (or static on), and never beyond the current limit.
  @Test func theOutputFollowsItsEnablesAndItsCurrentLimit() throws {
    var tec = try emulator()
    #expect(set(&tec, MeComParameter.liveCurrent, .float32(-5)) == nil)
    #expect(tec.drivenCurrentAmperes == 0, "factory: input selection 2, output stage off")
    #expect(set(&tec, MeComParameter.inputSelection, .int32(1)) == nil)
    #expect(set(&tec, MeComParameter.outputStageEnable, .int32(2)) == nil)
    #expect(tec.drivenCurrentAmperes == 0, "live enable still 0")
    #expect(set(&tec, MeComParameter.liveEnable, .int32(1)) == nil)
    #expect(tec.drivenCurrentAmperes == -5)
    #expect(set(&tec, MeComParameter.currentLimit, .float32(3)) == nil)
    #expect(tec.drivenCurrentAmperes == -3, "clamped to the instrument's own limit")
    #expect(set(&tec, MeComParameter.liveEnable, .int32(0)) == nil)
    #expect(tec.drivenCurrentAmperes == 0)
    #expect(tec.events == ["output on", "output off by the host"])
  }

  /// Values outside a parameter's range, read-only and unknown parameters and other
  /// instances get the instrument's server errors.
  @Test func refusalsAreServerErrors() throws {
    var tec = try emulator()
    #expect(set(&tec, MeComParameter.currentLimit, .float32(6.5))?.code == 7, "above 6 A")
    #expect(set(&tec, MeComParameter.liveCurrent, .float32(.nan))?.code == 7)
    #expect(set(&tec, MeComParameter.outputStageEnable, .int32(3))?.code == 7)
    #expect(set(&tec, MeComParameter.objectTemperature, .float32(20))?.code == 6)
    #expect(set(&tec, 2999, .int32(0))?.code == 5)
    #expect(tec.write(parameterID: MeComParameter.liveEnable, instance: 2, bits: 1)?.code == 8)
    if case .failure(let error) = tec.read(
      parameterID: MeComParameter.objectTemperature, instance: 2)
    {
      #expect(error.code == 8)
    } else {
      Issue.record("instance 2 read")
    }
  }

  /// With no frame for its watchdog the TEC enters its error state: output off, status 3,
  /// and it stays off when live enable is written again.
  @Test func theWatchdogLatchesTheOutputOff() throws {
    var tec = try emulator()
    for (parameter, value) in [
      (MeComParameter.inputSelection, MeComValue.int32(1)),
      (MeComParameter.outputStageEnable, .int32(2)), (MeComParameter.liveEnable, .int32(1)),
      (MeComParameter.liveCurrent, .float32(-2)),
      (MeComParameter.communicationWatchdog, .float32(1)),
    ] {
      #expect(set(&tec, parameter, value) == nil)
    }
    tec.noteFrame(nowNanoseconds: 0)
    tec.tick(nowNanoseconds: 900_000_000)
    #expect(tec.outputOn && tec.errorNumber == 0)
    tec.tick(nowNanoseconds: 1_010_000_000)
    #expect(!tec.outputOn && tec.drivenCurrentAmperes == 0)
    #expect(tec.errorNumber == MeComEmulator.watchdogErrorNumber)
    #expect(try tec.read(parameterID: MeComParameter.deviceStatus, instance: 1).get() == .int32(3))
    #expect(set(&tec, MeComParameter.liveEnable, .int32(1)) == nil)
    tec.tick(nowNanoseconds: 1_100_000_000)
    #expect(!tec.outputOn, "the error state latches")
  }

  /// The object temperature beyond its upper threshold puts the TEC in its error state.
  @Test func theObjectThresholdLatchesTheOutputOff() throws {
    var tec = try emulator()
    // The plate starts at 25 °C: an upper threshold of 20 °C is already crossed.
    #expect(set(&tec, MeComParameter.objectUpperErrorThreshold, .float32(20)) == nil)
    tec.tick(nowNanoseconds: 100_000_000)
    #expect(tec.errorNumber == MeComEmulator.objectTemperatureErrorNumber)
  }
}
