import Foundation
import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A kernel-shaped tree under a temporary root.
final class KernelTree {
  let root: URL
  let io: PosixBoardIO

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "board-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    io = PosixBoardIO(root: root.path)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  func write(_ path: String, _ text: String) throws {
    let url = root.appendingPathComponent(String(path.dropFirst()))
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data((text + "\n").utf8).write(to: url)
  }

  /// Rewrites a file in place, so a descriptor kept open sees the new text.
  func overwrite(_ path: String, _ text: String) throws {
    let handle = try FileHandle(forWritingTo: root.appendingPathComponent(String(path.dropFirst())))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data((text + "\n").utf8))
    try handle.close()
  }
}

@Suite(.tags(.io)) struct BoardSensorTests {
  @Test func hwmonIsFoundByNameAndChannelByNumberOrLabel() throws {
    let tree = try KernelTree()
    try tree.write("/sys/class/hwmon/hwmon0/name", "cpu_thermal")
    try tree.write("/sys/class/hwmon/hwmon0/temp1_input", "45000")
    try tree.write("/sys/class/hwmon/hwmon4/name", "ntc_thermistor")
    try tree.write("/sys/class/hwmon/hwmon4/temp1_input", "-12345")
    try tree.write("/sys/class/hwmon/hwmon4/temp3_input", "31500")
    try tree.write("/sys/class/hwmon/hwmon4/temp3_label", "heatsink")
    let locator = SysfsSensorLocator(io: tree.io)
    var byNumber = try locator.open(
      .hwmon(chip: "ntc_thermistor", device: nil, channel: .number(1)),
      calibration: SensorCalibration())
    #expect(try byNumber.read(nowNanoseconds: 5).celsius == -12.345)
    var byLabel = try locator.open(
      .hwmon(chip: "ntc_thermistor", device: nil, channel: .label("heatsink")),
      calibration: SensorCalibration(offsetCelsius: -0.5))
    #expect(try byLabel.read(nowNanoseconds: 5).celsius == 31.0)
    #expect(byLabel.path == "/sys/class/hwmon/hwmon4/temp3_input")
  }

  /// Old drivers keep `name` and every attribute under `device/`: the
  /// channel, its label, its fault file and `update_interval` are all
  /// looked up there.
  @Test func oldDriversKeepTheirAttributesUnderDevice() throws {
    let tree = try KernelTree()
    try tree.write("/sys/class/hwmon/hwmon1/device/name", "lm75")
    try tree.write("/sys/class/hwmon/hwmon1/device/temp1_input", "21500")
    try tree.write("/sys/class/hwmon/hwmon1/device/temp2_input", "30000")
    try tree.write("/sys/class/hwmon/hwmon1/device/temp2_label", "heatsink")
    try tree.write("/sys/class/hwmon/hwmon1/device/temp2_fault", "1")
    try tree.write("/sys/class/hwmon/hwmon1/device/update_interval", "500")
    let locator = SysfsSensorLocator(io: tree.io)
    var sensor = try locator.open(
      .hwmon(chip: "lm75", device: nil, channel: .number(1)), calibration: SensorCalibration())
    #expect(try sensor.read(nowNanoseconds: 0).celsius == 21.5)
    #expect(sensor.path == "/sys/class/hwmon/hwmon1/device/temp1_input")
    #expect(sensor.periodNanoseconds == 500_000_000)
    var labelled = try locator.open(
      .hwmon(chip: "lm75", device: nil, channel: .label("heatsink")),
      calibration: SensorCalibration())
    #expect(throws: FaultKind.faultFlag) { try labelled.read(nowNanoseconds: 0) }
  }

  /// Two chips named `lm75` told apart by where their `device` link points.
  @Test func twinChipsAreToldApartByTheirDeviceLink() throws {
    let tree = try KernelTree()
    for (index, address, millidegrees) in [(0, "1-0048", "11000"), (3, "1-0049", "-12000")] {
      try tree.write("/sys/class/hwmon/hwmon\(index)/name", "lm75")
      try tree.write("/sys/class/hwmon/hwmon\(index)/temp1_input", millidegrees)
      let target = "/sys/devices/platform/soc/i2c-1/\(address)"
      try FileManager.default.createDirectory(
        at: tree.root.appendingPathComponent(String(target.dropFirst())),
        withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: tree.root.appendingPathComponent("sys/class/hwmon/hwmon\(index)/device").path,
        withDestinationPath: "../../../devices/platform/soc/i2c-1/\(address)")
    }
    let locator = SysfsSensorLocator(io: tree.io)
    var second = try locator.open(
      .hwmon(chip: "lm75", device: "1-0049", channel: .number(1)),
      calibration: SensorCalibration())
    #expect(second.path == "/sys/class/hwmon/hwmon3/temp1_input")
    #expect(try second.read(nowNanoseconds: 0).celsius == -12)
    var first = try locator.open(
      .hwmon(chip: "lm75", device: "1-0048", channel: .number(1)),
      calibration: SensorCalibration())
    #expect(try first.read(nowNanoseconds: 0).celsius == 11)
    let neither = #expect(throws: BoardOpenError.self) {
      _ = try locator.open(
        .hwmon(chip: "lm75", device: "1-004a", channel: .number(1)),
        calibration: SensorCalibration())
    }
    #expect(neither?.message.contains("with device \"1-004a\"") == true)
  }

  /// `update_interval` read at open: a value that overflowed the ns
  /// conversion (a trap) or is above 2 s (switching the stale and stuck
  /// checks off for as long), text that is not a number, and a failed read
  /// are each refused naming the file; 2000 ms is the largest accepted.
  @Test(arguments: [
    ("18446744073709552", FaultKind.invalidValue, "above the 2000 ms"),
    ("99999999999999999999", .invalidValue, "not a whole number"),
    ("2001", .invalidValue, "above the 2000 ms"),
    ("-5", .invalidValue, "not a whole number"),
    ("soon", .invalidValue, "not a whole number"),
    ("", .invalidValue, "not a whole number"),
  ])
  func aBadUpdateIntervalIsRefused(text: String, fault: FaultKind, message: String) throws {
    let fake = FakeBoardIO()
    fake.add("/sys/class/hwmon/hwmon0/name", "lm75")
    fake.add("/sys/class/hwmon/hwmon0/temp1_input", "20500")
    fake.add("/sys/class/hwmon/hwmon0/update_interval", text)
    let error = #expect(throws: BoardOpenError.self) {
      _ = try SysfsSensorLocator(io: fake).open(
        .hwmon(chip: "lm75", device: nil, channel: .number(1)), calibration: .init())
    }
    #expect(error?.fault == fault)
    #expect(error?.path == "/sys/class/hwmon/hwmon0/update_interval")
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    #expect(error?.message.contains("/sys/class/hwmon/hwmon0/update_interval") == true)
  }

  @Test func anUpdateIntervalOfTwoSecondsIsTheLargestAndAReadFailureIsIO() throws {
    let fake = FakeBoardIO()
    fake.add("/sys/class/hwmon/hwmon0/name", "lm75")
    fake.add("/sys/class/hwmon/hwmon0/temp1_input", "20500")
    fake.add("/sys/class/hwmon/hwmon0/update_interval", "2000")
    let locator = SysfsSensorLocator(io: fake)
    let spec = SysfsSensorSpec.hwmon(chip: "lm75", device: nil, channel: .number(1))
    #expect(try locator.open(spec, calibration: .init()).periodNanoseconds == 2_000_000_000)
    fake.readErrors["/sys/class/hwmon/hwmon0/update_interval"] = [EIO]
    let error = #expect(throws: BoardOpenError.self) {
      _ = try locator.open(spec, calibration: .init())
    }
    #expect(error?.fault == .io)
    #expect(error?.isBadDescription == false, "a device that failed: 74, not 65")
    #expect(error?.isAbsent == false, "there, but failed")
  }

  @Test func aMissingChannelOrChipOrTwinChipsAreRefusedByName() throws {
    let tree = try KernelTree()
    try tree.write("/sys/class/hwmon/hwmon0/name", "lm75")
    try tree.write("/sys/class/hwmon/hwmon0/temp1_input", "1")
    try tree.write("/sys/class/hwmon/hwmon0/temp2_input", "1")
    try tree.write("/sys/class/hwmon/hwmon1/name", "max6675")
    try tree.write("/sys/class/hwmon/hwmon2/name", "max6675")
    let locator = SysfsSensorLocator(io: tree.io)
    let outOfRange = #expect(throws: BoardOpenError.self) {
      _ = try locator.open(
        .hwmon(chip: "lm75", device: nil, channel: .number(7)), calibration: SensorCalibration())
    }
    #expect(outOfRange?.fault == .outOfRange)
    #expect(outOfRange?.message.contains("no channel 7 (channels: 1, 2)") == true)
    #expect(outOfRange?.isAbsent == true, "hardware the board lacks: 74, not a bad file")
    let missing = #expect(throws: BoardOpenError.self) {
      _ = try locator.open(
        .hwmon(chip: "tmp102", device: nil, channel: .number(1)), calibration: SensorCalibration())
    }
    #expect(missing?.fault == .notFound)
    #expect(missing?.message.contains("\"tmp102\"") == true)
    #expect(missing?.isAbsent == true)
    let twins = #expect(throws: BoardOpenError.self) {
      _ = try locator.open(
        .hwmon(chip: "max6675", device: nil, channel: .number(1)), calibration: SensorCalibration())
    }
    #expect(twins?.message.contains("add \"device\"") == true)
    #expect(twins?.isBadDescription == true, "ambiguous: the board file must say which (65)")
    #expect(twins?.isAbsent == false)
  }

  /// T = (raw + offset) × scale m°C, worked by hand: (2000 − 100) × 31.25 = 59 375 m°C.
  @Test func iioRawChannelsApplyOffsetAndScale() throws {
    let tree = try KernelTree()
    let base = "/sys/bus/iio/devices/iio:device0"
    try tree.write("\(base)/name", "max31865")
    try tree.write("\(base)/in_temp_raw", "2000")
    try tree.write("\(base)/in_temp_offset", "-100")
    try tree.write("\(base)/in_temp_scale", "31.250000")
    var sensor = try SysfsSensorLocator(io: tree.io).open(
      .iio(device: "max31865", channel: "temp"), calibration: SensorCalibration())
    #expect(try sensor.read(nowNanoseconds: 0).celsius == 59.375)
    // The offset file is absent when zero: 2000 × 31.25 = 62 500 m°C.
    try FileManager.default.removeItem(
      at: tree.root.appendingPathComponent(String("\(base)/in_temp_offset".dropFirst())))
    var noOffset = try SysfsSensorLocator(io: tree.io).open(
      .iio(device: "max31865", channel: "temp"), calibration: SensorCalibration())
    #expect(try noOffset.read(nowNanoseconds: 0).celsius == 62.5)
  }

  @Test func iioInputAndThermalZonesAreMillidegrees() throws {
    let tree = try KernelTree()
    try tree.write("/sys/bus/iio/devices/iio:device2/name", "tmp117")
    try tree.write("/sys/bus/iio/devices/iio:device2/in_temp_input", "36625")
    try tree.write("/sys/class/thermal/thermal_zone0/type", "cpu-thermal")
    try tree.write("/sys/class/thermal/thermal_zone0/temp", "48312")
    let locator = SysfsSensorLocator(io: tree.io)
    var iio = try locator.open(.iio(device: "tmp117", channel: "temp"), calibration: .init())
    #expect(try iio.read(nowNanoseconds: 0).celsius == 36.625)
    var zone = try locator.open(.thermalZone(type: "cpu-thermal"), calibration: .init())
    #expect(try zone.read(nowNanoseconds: 0).celsius == 48.312)
  }

  /// The file is kept open and read at offset 0: a new value written in
  /// place is seen by the next read; unparsable text is a typed fault.
  @Test func theOpenFileIsReadAgainAndGarbageIsAFault() throws {
    let tree = try KernelTree()
    try tree.write("/sys/class/thermal/thermal_zone3/type", "plate")
    try tree.write("/sys/class/thermal/thermal_zone3/temp", "-12000")
    var sensor = try SysfsSensorLocator(io: tree.io).open(
      .thermalZone(type: "plate"), calibration: .init())
    #expect(try sensor.read(nowNanoseconds: 0).celsius == -12)
    try tree.overwrite("/sys/class/thermal/thermal_zone3/temp", "-11500")
    #expect(try sensor.read(nowNanoseconds: 100).celsius == -11.5)
    try tree.overwrite("/sys/class/thermal/thermal_zone3/temp", "bogus")
    #expect(throws: FaultKind.invalidValue) { try sensor.read(nowNanoseconds: 200) }
  }

  /// Each errno a driver may return maps to its fault; the channel reads
  /// again once the driver recovers.
  @Test(arguments: [
    (EIO, FaultKind.io), (ENODATA, .noData), (EAGAIN, .temporarilyUnavailable),
    (EREMOTEIO, .io), (EINVAL, .invalidValue), (ENODEV, .notFound),
  ])
  func errnoSequencesBecomeTypedFaults(errno: CInt, fault: FaultKind) throws {
    let fake = FakeBoardIO()
    fake.add("/sys/class/hwmon/hwmon0/name", "ads7828")
    fake.add("/sys/class/hwmon/hwmon0/temp1_input", "30000")
    var sensor = try SysfsSensorLocator(io: fake).open(
      .hwmon(chip: "ads7828", device: nil, channel: .number(1)), calibration: .init())
    fake.readErrors["/sys/class/hwmon/hwmon0/temp1_input"] = [errno, errno]
    #expect(throws: fault) { try sensor.read(nowNanoseconds: 0) }
    #expect(throws: fault) { try sensor.read(nowNanoseconds: 100) }
    #expect(try sensor.read(nowNanoseconds: 200).celsius == 30)
  }

  @Test func aSetFaultFileIsAFaultFlag() throws {
    let fake = FakeBoardIO()
    fake.add("/sys/class/hwmon/hwmon0/name", "max31856")
    fake.add("/sys/class/hwmon/hwmon0/temp1_input", "25000")
    fake.add("/sys/class/hwmon/hwmon0/temp1_fault", "0")
    var sensor = try SysfsSensorLocator(io: fake).open(
      .hwmon(chip: "max31856", device: nil, channel: .number(1)), calibration: .init())
    #expect(try sensor.read(nowNanoseconds: 0).celsius == 25)
    fake.add("/sys/class/hwmon/hwmon0/temp1_fault", "1")
    #expect(throws: FaultKind.faultFlag) { try sensor.read(nowNanoseconds: 100) }
  }

  /// A driver with `update_interval` = 1000 ms repeats its cached value:
  /// an unchanged value inside the period is not new and keeps the time of
  /// the conversion; after the period, or when the value changes, it is new.
  @Test func cachedRepeatsAreMarkedNotNew() throws {
    let fake = FakeBoardIO()
    fake.add("/sys/class/hwmon/hwmon0/name", "lm75")
    fake.add("/sys/class/hwmon/hwmon0/temp1_input", "20500")
    fake.add("/sys/class/hwmon/hwmon0/update_interval", "1000")
    var sensor = try SysfsSensorLocator(io: fake).open(
      .hwmon(chip: "lm75", device: nil, channel: .number(1)), calibration: .init())
    #expect(sensor.periodNanoseconds == 1_000_000_000)
    let first = try sensor.read(nowNanoseconds: 0)
    #expect(first.isNew)
    let repeated = try sensor.read(nowNanoseconds: 100_000_000)
    #expect(!repeated.isNew)
    #expect(repeated.timestampNanoseconds == 0)
    #expect(try sensor.read(nowNanoseconds: 1_000_000_000).isNew)
    fake.add("/sys/class/hwmon/hwmon0/temp1_input", "21000")
    let changed = try sensor.read(nowNanoseconds: 1_100_000_000)
    #expect(changed.isNew && changed.celsius == 21)
  }
}

@Suite(.tags(.physics)) struct SensorCalibrationTests {
  /// The Beta equation solved for R by hand: R(T) = R₀·exp(β(1/T − 1/T₀)).
  @Test(arguments: [-20.0, 0, 25, 37, 60])
  func betaInvertsTheBetaEquation(celsius: Double) throws {
    let beta = 3950.0
    let ohms = 10_000 * Foundation.exp(beta * (1 / (celsius + 273.15) - 1 / 298.15))
    let curve = ResistanceCurve.beta(referenceOhms: 10_000, referenceCelsius: 25, beta: beta)
    let result = try #require(curve.celsius(ohms: ohms))
    #expect(abs(result - celsius) < 1e-9)
  }

  /// A 10 kΩ NTC with β = 3950 reads 33 620 Ω at 0 °C (datasheet tables give 33.6 kΩ).
  @Test func betaMatchesATabulatedThermistor() throws {
    let curve = ResistanceCurve.beta(referenceOhms: 10_000, referenceCelsius: 25, beta: 3950)
    let result = try #require(curve.celsius(ohms: 33_620))
    #expect(abs(result) < 0.01)
  }

  /// 1/T = A + B·ln R + C·(ln R)³ evaluated by hand at R = 10 kΩ with the
  /// usual 10 kΩ-NTC coefficients: ln R = 9.210340, (ln R)³ = 781.3080,
  /// 1/T = 1.009250e-3 + 2.190594e-3 + 1.577627e-4 = 3.357606e-3 K⁻¹,
  /// T = 297.8313 K = 24.6813 °C.
  @Test func steinhartHartAtTenKiloohms() throws {
    let curve = ResistanceCurve.steinhartHart(
      a: 1.009249522e-3, b: 2.378405444e-4, c: 2.019202697e-7)
    let result = try #require(curve.celsius(ohms: 10_000))
    #expect(abs(result - 24.6813) < 0.001)
  }

  @Test func nonPositiveResistanceHasNoTemperature() {
    let curve = ResistanceCurve.beta(referenceOhms: 10_000, referenceCelsius: 25, beta: 3950)
    #expect(curve.celsius(ohms: 0) == nil)
    #expect(curve.celsius(ohms: -5) == nil)
    #expect(curve.celsius(ohms: .nan) == nil)
  }

  /// An IIO resistance channel: (raw + offset) × scale ohms through the
  /// curve, then the offset: 10 000 Ω is the reference, 25 °C, plus 0.2.
  @Test func aResistanceChannelGoesThroughTheCurveAndTheOffset() throws {
    let fake = FakeBoardIO()
    fake.add("/sys/bus/iio/devices/iio:device1/name", "ads1015")
    fake.add("/sys/bus/iio/devices/iio:device1/in_resistance0_raw", "20000")
    fake.add("/sys/bus/iio/devices/iio:device1/in_resistance0_scale", "0.5")
    var sensor = try SysfsSensorLocator(io: fake).open(
      .iio(device: "ads1015", channel: "resistance0"),
      calibration: SensorCalibration(
        offsetCelsius: 0.2,
        curve: .beta(referenceOhms: 10_000, referenceCelsius: 25, beta: 3950)))
    #expect(abs(try sensor.read(nowNanoseconds: 0).celsius - 25.2) < 1e-9)
    fake.add("/sys/bus/iio/devices/iio:device1/in_resistance0_raw", "0")
    #expect(throws: FaultKind.outOfRange) { try sensor.read(nowNanoseconds: 1) }
  }
}
