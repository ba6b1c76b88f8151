import Glibc
import Testing

@testable import ApplicatorHAL

@Suite(.tags(.safety)) struct BoardApplicatorTests {
  private func applicator(_ bench: FakeBench, watchdog: Bool = true) throws -> BoardApplicator {
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
        ? try BoardWatchdog(io: bench.fake, path: "/dev/watchdog", timeoutSeconds: nil) : nil)
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
    #expect(try board.readInterlocks(nowNanoseconds: 0) == .allOpen)
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
