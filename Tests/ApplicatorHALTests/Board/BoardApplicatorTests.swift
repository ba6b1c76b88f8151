import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

@Suite(.tags(.safety)) struct BoardApplicatorTests {
  private func applicator(
    _ bench: FakeBench, watchdog: Bool = true, heartbeat: GPIOOutputLine? = nil
  ) throws -> BoardApplicator {
    bench.fake.add("/sys/class/thermal/thermal_zone0/type", "plate")
    bench.fake.add("/sys/class/thermal/thermal_zone0/temp", "-12000")
    bench.fake.files["/dev/watchdog"] = ""
    let sensor = try SysfsSensorLocator(io: bench.fake).open(
      .thermalZone(type: "plate"), calibration: .init())
    func input(_ offset: UInt32) throws -> GPIOInputLine {
      try GPIOInputLine(
        io: bench.fake,
        location: try GPIOLineLocation(io: bench.fake, chip: "gpiochip0", offset: offset),
        activeLow: true, pullUp: true)
    }
    return BoardApplicator(
      sensors: [sensor], powerStage: try bench.directionStage(),
      interlocks: [
        BoardInterlock(line: try input(20), role: .contact),
        BoardInterlock(line: try input(21), role: .coolantFlow),
        BoardInterlock(line: try input(22), role: .keySwitch),
      ],
      watchdog: watchdog
        ? try BoardWatchdog(io: bench.fake, path: "/dev/watchdog", timeoutSeconds: nil) : nil,
      heartbeat: heartbeat)
  }

  /// A failed keepalive (ENOSPC, EIO: the device is gone) stops the
  /// treatment in the same tick: the stage refuses the tick's drive, which
  /// the loop turns into an actuator-fault trip and a safe-off.
  @Test(arguments: [(ENOSPC, FaultKind.io), (EIO, .io), (ENODEV, .notFound)])
  func aFailedKeepaliveRefusesTheNextDrive(errno: CInt, fault: FaultKind) throws {
    let bench = FakeBench()
    var board = try applicator(bench)
    board.advance(toNanoseconds: 0)
    try board.powerStage.setEnabled(true, nowNanoseconds: 0)
    try board.powerStage.write(command: -0.5, nowNanoseconds: 0)
    bench.fake.writeErrors["/dev/watchdog"] = [errno]
    board.advance(toNanoseconds: 100_000_000)
    #expect(board.keepAliveFault == fault)
    #expect(throws: fault) {
      try board.powerStage.write(command: -0.5, nowNanoseconds: 100_000_000)
    }
    #expect(board.powerStage.safeOff(nowNanoseconds: 100_000_000) == nil)
    #expect(bench.duty(FakeBench.magnitude) == 0 && bench.enabled == false)
    board.advance(toNanoseconds: 200_000_000)  // the keepalive works again: still refused
    #expect(throws: fault) { try board.powerStage.setEnabled(true, nowNanoseconds: 200_000_000) }
  }

  /// The same for an external watchdog's heartbeat line.
  @Test func aFailedHeartbeatRefusesTheNextDrive() throws {
    let bench = FakeBench()
    let heartbeat = try bench.output(12)
    var board = try applicator(bench, watchdog: false, heartbeat: heartbeat)
    board.advance(toNanoseconds: 0)
    #expect(bench.fake.lineLevels["/dev/gpiochip0:12"] == true)
    try board.powerStage.setEnabled(true, nowNanoseconds: 0)
    bench.fake.lineErrors["/dev/gpiochip0:12"] = [EIO]
    board.advance(toNanoseconds: 100_000_000)
    #expect(board.keepAliveFault == .io)
    #expect(throws: FaultKind.io) { try board.powerStage.write(command: 0, nowNanoseconds: 1) }
  }

  /// `WDIOC_SETTIMEOUT`, then `WDIOC_GETTIMEOUT` read back: a device that
  /// sets what was asked reports it; one that rounds it up or refuses it
  /// is refused naming both values, and disarmed (magic close) first.
  @Test func theWatchdogTimeoutIsReadBackAndALongerOneRefused() throws {
    let fake = FakeBoardIO()
    fake.files["/dev/watchdog"] = ""
    fake.watchdogTimeouts["/dev/watchdog"] = 60
    #expect(
      try BoardWatchdog(io: fake, path: "/dev/watchdog", timeoutSeconds: nil).timeoutSeconds == 60)
    #expect(
      try BoardWatchdog(io: fake, path: "/dev/watchdog", timeoutSeconds: 5).timeoutSeconds == 5)
    fake.watchdogStepSeconds = 8
    fake.files["/dev/watchdog"] = ""
    let rounded = #expect(throws: BoardOpenError.self) {
      _ = try BoardWatchdog(io: fake, path: "/dev/watchdog", timeoutSeconds: 5)
    }
    #expect(rounded?.fault == .invalidValue)
    #expect(rounded?.message.contains("asked for a 5 s timeout, the device set 8 s") == true)
    #expect(fake.files["/dev/watchdog"] == "V", "disarmed before refusing")
    fake.watchdogRefusesTimeout = true
    let refused = #expect(throws: BoardOpenError.self) {
      _ = try BoardWatchdog(io: fake, path: "/dev/watchdog", timeoutSeconds: 8)
    }
    #expect(refused?.message.contains("WDIOC_SETTIMEOUT: EINVAL") == true)
    let silent = FakeBoardIO()
    silent.files["/dev/watchdog"] = ""
    #expect(throws: BoardOpenError.self) {
      _ = try BoardWatchdog(io: silent, path: "/dev/watchdog", timeoutSeconds: 5)
    }
    #expect(
      try BoardWatchdog(io: silent, path: "/dev/watchdog", timeoutSeconds: nil).timeoutSeconds
        == nil)
  }

  @Test func interlocksMapToTheirRolesAndAKeySwitchOpensAll() throws {
    let bench = FakeBench()
    var board = try applicator(bench)
    let flags = GPIOv2.flagInput | GPIOv2.flagActiveLow | GPIOv2.flagBiasPullUp
    #expect(bench.fake.requests["/dev/gpiochip0:20"] == flags)
    for key in ["/dev/gpiochip0:20", "/dev/gpiochip0:21", "/dev/gpiochip0:22"] {
      bench.fake.inputs[key] = true
    }
    #expect(try board.readInterlocks(nowNanoseconds: 0) == .allMade)
    bench.fake.inputs["/dev/gpiochip0:21"] = false
    #expect(
      try board.readInterlocks(nowNanoseconds: 0)
        == Interlocks(contactMade: true, coolantFlowing: false))
    bench.fake.inputs["/dev/gpiochip0:21"] = true
    bench.fake.inputs["/dev/gpiochip0:22"] = false
    // The key switch opens every interlock and says it was the key switch.
    let keyOff = try board.readInterlocks(nowNanoseconds: 0)
    #expect(keyOff == .keySwitchOff)
    #expect(!keyOff.contactMade && !keyOff.coolantFlowing && !keyOff.keySwitchOn)
    #expect(keyOff.readFault == nil)
  }

  /// A line that cannot be read throws its fault (the loop keeps it as the
  /// interlocks' read fault, see ControlLoopTests).
  @Test func anInterlockLineThatCannotBeReadThrowsItsFault() throws {
    let bench = FakeBench()
    var board = try applicator(bench)
    for key in ["/dev/gpiochip0:20", "/dev/gpiochip0:21", "/dev/gpiochip0:22"] {
      bench.fake.inputs[key] = true
    }
    bench.fake.lineErrors["/dev/gpiochip0:21"] = [EIO]
    #expect(throws: FaultKind.io) { try board.readInterlocks(nowNanoseconds: 0) }
  }

  @Test func aFailedSensorReadIsThatSlotsFault() throws {
    let bench = FakeBench()
    var board = try applicator(bench)
    var snapshot = SensorSnapshot(count: 1)
    board.readSensors(nowNanoseconds: 0, into: &snapshot)
    #expect(snapshot.readings[0].sample?.celsius == -12)
    bench.fake.readErrors["/sys/class/thermal/thermal_zone0/temp"] = [EIO]
    board.readSensors(nowNanoseconds: 1, into: &snapshot)
    #expect(snapshot.readings[0] == .fault(.io))
  }

  /// A keepalive per tick; the magic close only after a clean safe-off.
  @Test func theWatchdogIsFedEachTickAndDisarmedOnlyWhenSafe() throws {
    let bench = FakeBench()
    var board = try applicator(bench)
    for tick in 0..<3 { board.advance(toNanoseconds: UInt64(tick) * 100_000_000) }
    #expect(bench.fake.files["/dev/watchdog"] == "kkk")
    #expect(board.close(nowNanoseconds: 1) == nil)
    #expect(bench.fake.files["/dev/watchdog"] == "kkkV")
    #expect(bench.enabled == false)

    let failing = FakeBench()
    var broken = try applicator(failing)
    broken.advance(toNanoseconds: 0)
    failing.fake.writeErrors[FakeBench.magnitude] = [EIO]
    #expect(broken.close(nowNanoseconds: 1) == .io)
    #expect(failing.fake.files["/dev/watchdog"] == "k", "left armed: no magic close")
    #expect(failing.enabled == false)
  }
}
