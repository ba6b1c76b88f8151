import Foundation
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import ApplicatorSimulation

/// The simulated probe without lag or noise: it converts the temperature it
/// is given, quantised to its resolution, at its own period.
private struct SimulatedSensorBench: SensorBench {
  var sensor: SimulatedSensor
  var celsius = 20.0
  var random = SeededRandom(seed: 1)
  let resolutionCelsius = 0.01
  var failures: [SensorFailure] {
    [SensorFailure("a dropout (the channel stops answering)", expected: .timedOut)]
  }

  init() {
    var model = SensorModel(location: .plate)
    model.lagSeconds = 0
    model.noiseRmsCelsius = 0
    model.resolutionCelsius = resolutionCelsius
    sensor = SimulatedSensor(model: model, initialCelsius: celsius)
  }

  mutating func present(celsius: Double) throws {
    self.celsius = celsius
    sensor.clearFault()
  }

  mutating func stage(_ failure: SensorFailure) throws {
    sensor.inject(.dropout, value: nil, nowNanoseconds: 0)
  }

  mutating func read(nowNanoseconds: UInt64) throws -> SensorReading {
    sensor.update(
      trueCelsius: celsius, ambientCelsius: 22, nowNanoseconds: nowNanoseconds, random: &random)
    return sensor.reading(nowNanoseconds: nowNanoseconds)
  }
}

/// A sysfs channel in a kernel-shaped tree: hwmon in millidegrees with its
/// `temp1_fault` file, or an IIO raw channel at 31.25 m°C per count.
private struct SysfsSensorBench: SensorBench {
  enum Kind { case hwmon, iioRaw }
  let kind: Kind
  let tree: KernelTree
  var sensor: SysfsTemperatureSensor
  private static let hwmon = "/sys/class/hwmon/hwmon3"
  private static let iio = "/sys/bus/iio/devices/iio:device0"

  init(_ kind: Kind) throws {
    self.kind = kind
    tree = try KernelTree()
    switch kind {
    case .hwmon:
      try tree.write("\(Self.hwmon)/name", "ntc_thermistor")
      try tree.write("\(Self.hwmon)/temp1_input", "20000")
      try tree.write("\(Self.hwmon)/temp1_fault", "0")
      sensor = try SysfsSensorLocator(io: tree.io).open(
        .hwmon(chip: "ntc_thermistor", device: nil, channel: .number(1)),
        calibration: SensorCalibration())
    case .iioRaw:
      try tree.write("\(Self.iio)/name", "max31865")
      try tree.write("\(Self.iio)/in_temp_raw", "640")
      try tree.write("\(Self.iio)/in_temp_scale", "31.250000")
      sensor = try SysfsSensorLocator(io: tree.io).open(
        .iio(device: "max31865", channel: "temp"), calibration: SensorCalibration())
    }
  }

  var resolutionCelsius: Double { kind == .hwmon ? 0.001 : 0.03125 }

  var failures: [SensorFailure] {
    switch kind {
    case .hwmon:
      [
        SensorFailure("a set temp1_fault", expected: .faultFlag),
        SensorFailure("text that is not a number in temp1_input", expected: .invalidValue),
      ]
    case .iioRaw:
      [SensorFailure("text that is not a number in in_temp_raw", expected: .invalidValue)]
    }
  }

  func present(celsius: Double) throws {
    switch kind {
    case .hwmon:
      try tree.overwrite("\(Self.hwmon)/temp1_input", String(Int((celsius * 1000).rounded())))
      try tree.overwrite("\(Self.hwmon)/temp1_fault", "0")
    case .iioRaw:
      try tree.overwrite("\(Self.iio)/in_temp_raw", String(Int((celsius * 32).rounded())))
    }
  }

  func stage(_ failure: SensorFailure) throws {
    switch (kind, failure.expected) {
    case (.hwmon, .faultFlag): try tree.overwrite("\(Self.hwmon)/temp1_fault", "1")
    case (.hwmon, _): try tree.overwrite("\(Self.hwmon)/temp1_input", "n/a")
    case (.iioRaw, _): try tree.overwrite("\(Self.iio)/in_temp_raw", "n/a")
    }
  }

  mutating func read(nowNanoseconds: UInt64) throws -> SensorReading {
    sensor.reading(nowNanoseconds: nowNanoseconds)
  }
}

/// One rig channel through the host's applicator, over a real pty to a scripted rig.
private struct RigSensorBench: SensorBench {
  let connection: ScriptedRigConnection
  var applicator: RigApplicator
  let resolutionCelsius = 1e-9
  var failures: [SensorFailure] {
    [
      SensorFailure("a channel the rig flags (9.91E37)", expected: .faultFlag),
      SensorFailure("a reply that is not a number", expected: .protocolError),
      SensorFailure("a rig that does not answer", expected: .timedOut),
    ]
  }

  init() throws {
    connection = try ScriptedRigConnection(channels: 1)
    applicator = try connection.applicator(channels: 1)
  }

  private var silenced = false

  mutating func present(celsius: Double) throws {
    connection.device.present([celsius])
    // A rig that dropped a query owes its reply: the link takes the next
    // line for it until the owed reply's lifetime has passed.
    if silenced {
      usleep(UInt32(ScriptedRigConnection.owedReplyLifetimeNanoseconds / 1_000) + 50_000)
      silenced = false
    }
  }

  mutating func stage(_ failure: SensorFailure) throws {
    switch failure.expected {
    case .faultFlag: connection.device.fail(.flagged)
    case .protocolError: connection.device.fail(.garbled)
    default:
      connection.device.fail(.silent)
      silenced = true
    }
  }

  mutating func read(nowNanoseconds: UInt64) throws -> SensorReading {
    var snapshot = SensorSnapshot(count: 0)
    applicator.readSensors(nowNanoseconds: nowNanoseconds, into: &snapshot)
    return snapshot.readings[0]
  }
}

/// The sensor contract on the three backends: the same checker, the
/// temperature and the failures set on each backend's own device.
@Suite(.tags(.safety)) struct SensorConformanceTests {
  @Test func simulated() throws {
    try SensorConformance.check { SimulatedSensorBench() }
  }

  @Test(.tags(.io)) func sysfsHwmon() throws {
    try SensorConformance.check { try SysfsSensorBench(.hwmon) }
  }

  @Test(.tags(.io)) func sysfsIIORaw() throws {
    try SensorConformance.check { try SysfsSensorBench(.iioRaw) }
  }

  @Test(.tags(.io)) func rig() throws {
    var connections: [ScriptedRigConnection] = []
    defer { for connection in connections { connection.stop() } }
    try SensorConformance.check {
      let bench = try RigSensorBench()
      connections.append(bench.connection)
      return bench
    }
  }
}
