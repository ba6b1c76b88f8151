import Foundation
import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import ApplicatorSimulation

/// The simulated applicator (cryo plant, probes without lag or noise): its
/// plant decides the temperatures; contact and coolant open by plant faults.
private struct SimulatedApplicatorBench: ApplicatorBench {
  var applicator: SimulatedApplicator
  let resolutionCelsius = 0.01

  init() {
    let locations: [ProbeLocation] = [.plate, .depth(metres: 0), .hotSide]
    applicator = SimulatedApplicator(
      plant: PlantConfiguration(),
      sensors: locations.map { location in
        var model = SensorModel(location: location)
        model.lagSeconds = 0
        model.noiseRmsCelsius = 0
        model.resolutionCelsius = 0.01
        return model
      }, faults: [], seed: 1)
  }

  mutating func present(celsius: [Double]) throws {}

  mutating func truth() -> [Double] {
    (0..<applicator.sensorCount).map { applicator.trueCelsius(ofSensor: $0) }
  }

  mutating func present(interlocks: Interlocks) throws -> Bool {
    applicator.clearFaults()
    if !interlocks.contactMade {
      applicator.inject(.plant(.contactLost), value: nil, nowNanoseconds: 0)
    }
    if !interlocks.coolantFlowing {
      applicator.inject(.plant(.coolantLost), value: nil, nowNanoseconds: 0)
    }
    return true
  }

  mutating func breakInterlockRead() throws -> Bool { false }
  mutating func unplug() throws -> FaultKind? { nil }

  mutating func observeStage() -> StageObservation {
    StageObservation(
      command: applicator.powerStage.received.command,
      enabled: applicator.powerStage.received.enabled)
  }
}

/// A board: an NTC under hwmon and an RTD amplifier under IIO, and a
/// two-PWM TEC bridge, in a kernel-shaped tree; the enable and the
/// interlock lines on a gpiochip, which a plain tree cannot hold, through
/// the fake seam.
private struct BoardApplicatorBench: ApplicatorBench {
  var applicator: BoardApplicator
  let tree: KernelTree
  let lines = FakeBoardIO()
  var presented: [Double] = [20, 20]
  let resolutionCelsius = 0.03125
  private static let hwmon = "/sys/class/hwmon/hwmon1/temp1_input"
  private static let iio = "/sys/bus/iio/devices/iio:device0/in_temp_raw"
  private static let contact = "/dev/gpiochip0:20"
  private static let coolant = "/dev/gpiochip0:21"
  private static let enable = "/dev/gpiochip0:5"

  init() throws {
    tree = try KernelTree()
    try tree.write("/sys/class/hwmon/hwmon1/name", "ntc_thermistor")
    try tree.write(Self.hwmon, "20000")
    try tree.write("/sys/bus/iio/devices/iio:device0/name", "max31865")
    try tree.write(Self.iio, "640")
    try tree.write("/sys/bus/iio/devices/iio:device0/in_temp_scale", "31.250000")
    try tree.write("/sys/class/pwm/pwmchip0/npwm", "2")
    for channel in 0..<2 {
      for (file, value) in [
        ("period", "0"), ("duty_cycle", "0"), ("enable", "0"), ("polarity", "normal"),
      ] {
        try tree.write("/sys/class/pwm/pwmchip0/pwm\(channel)/\(file)", value)
      }
    }
    lines.chips["/dev/gpiochip0"] = 32
    lines.inputs[Self.contact] = true
    lines.inputs[Self.coolant] = true
    let locator = SysfsSensorLocator(io: tree.io)
    let io = tree.io
    func pwm(_ channel: Int) throws -> PWMChannel {
      try PWMChannel(
        io: io, location: try PWMLocation(io: io, chip: 0, channel: channel),
        periodNanoseconds: 50_000)
    }
    let gpio = lines
    func input(_ offset: UInt32) throws -> GPIOInputLine {
      try GPIOInputLine(
        io: gpio, location: try GPIOLineLocation(io: gpio, chip: "gpiochip0", offset: offset),
        activeLow: false, pullUp: false)
    }
    applicator = BoardApplicator(
      sensors: [
        try locator.open(
          .hwmon(chip: "ntc_thermistor", device: nil, channel: .number(1)),
          calibration: SensorCalibration()),
        try locator.open(.iio(device: "max31865", channel: "temp"), calibration: .init()),
      ],
      powerStage: BoardPowerStage(
        drive: .dualPWM(heat: try pwm(0), cool: try pwm(1)),
        enableLine: try GPIOOutputLine(
          io: gpio, location: try GPIOLineLocation(io: gpio, chip: "gpiochip0", offset: 5),
          activeLow: false)),
      interlocks: [
        BoardInterlock(line: try input(20), role: .contact),
        BoardInterlock(line: try input(21), role: .coolantFlow),
      ])
  }

  mutating func present(celsius: [Double]) throws {
    // The IIO channel counts 31.25 m°C: what it reports is the nearest count.
    presented = [
      (celsius[0] * 1000).rounded() / 1000, (celsius[1] * 32).rounded() / 32,
    ]
    try tree.overwrite(Self.hwmon, String(Int((celsius[0] * 1000).rounded())))
    try tree.overwrite(Self.iio, String(Int((celsius[1] * 32).rounded())))
  }

  mutating func truth() -> [Double] { presented }

  mutating func present(interlocks: Interlocks) throws -> Bool {
    lines.inputs[Self.contact] = interlocks.contactMade
    lines.inputs[Self.coolant] = interlocks.coolantFlowing
    return true
  }

  mutating func breakInterlockRead() throws -> Bool {
    lines.inputs[Self.contact] = true
    lines.inputs[Self.coolant] = true
    lines.lineErrors[Self.contact] = [EIO]
    lines.lineErrors[Self.coolant] = [EIO]
    return true
  }

  /// A sysfs file kept open survives its removal: a board cannot be unplugged here.
  mutating func unplug() throws -> FaultKind? { nil }

  mutating func observeStage() -> StageObservation {
    func fraction(_ channel: Int) -> Double {
      let directory = tree.root.appendingPathComponent("sys/class/pwm/pwmchip0/pwm\(channel)")
      func number(_ file: String) -> Double {
        let text =
          (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8))
        return Double(text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? .nan
      }
      return number("enable") == 1 ? number("duty_cycle") / number("period") : 0
    }
    let command = fraction(0) - fraction(1)
    return StageObservation(
      command: command == 0 ? 0 : command, enabled: lines.lineLevels[Self.enable] == true)
  }
}

/// The host's applicator over a real pty to a scripted rig: the rig's
/// channels, interlocks and output are the scripted device's.
private struct RigApplicatorBench: ApplicatorBench {
  var applicator: RigApplicator
  let connection: ScriptedRigConnection
  var presented: [Double] = [20, 20, 20]
  let resolutionCelsius = 1e-9

  init() throws {
    connection = try ScriptedRigConnection(channels: 3)
    applicator = try connection.applicator(channels: 3)
  }

  mutating func present(celsius: [Double]) throws {
    presented = celsius
    connection.device.present(celsius)
  }

  mutating func truth() -> [Double] { presented }

  mutating func present(interlocks: Interlocks) throws -> Bool {
    connection.device.answerInterlocks(
      "\(interlocks.contactMade ? 1 : 0),\(interlocks.coolantFlowing ? 1 : 0)")
    return true
  }

  mutating func breakInterlockRead() throws -> Bool {
    connection.device.answerInterlocks("closed")
    return true
  }

  /// The rig hangs up its end of the pty.
  mutating func unplug() throws -> FaultKind? {
    connection.stop()
    return .disconnected
  }

  mutating func observeStage() -> StageObservation {
    // A round trip first: the rig has applied every line sent before it.
    guard (try? connection.link.query("*OPC?")) == "1" else {
      return StageObservation(command: .nan, enabled: true)
    }
    return connection.device.observation
  }
}

/// The applicator contract on the three backends: the same checker, the
/// temperatures, interlocks and failures set on each backend's own devices.
@Suite(.tags(.safety)) struct ApplicatorConformanceTests {
  @Test func simulated() throws {
    try ApplicatorConformance.check { SimulatedApplicatorBench() }
  }

  @Test(.tags(.io)) func board() throws {
    try ApplicatorConformance.check { try BoardApplicatorBench() }
  }

  @Test(.tags(.io)) func rig() throws {
    var connections: [ScriptedRigConnection] = []
    defer { for connection in connections { connection.stop() } }
    try ApplicatorConformance.check {
      let bench = try RigApplicatorBench()
      connections.append(bench.connection)
      return bench
    }
  }
}
