import ApplicatorHAL
import Foundation

/// Decodes a board file strictly, with the project's own JSON parser:
/// unknown keys, wrong types and out-of-range values are refused with the
/// file, the line and the JSON path (exit 65).
enum BoardDecoder {
  /// The largest board file accepted, bytes.
  static let maximumBytes = 1 << 20

  /// Reads and decodes `path`.
  static func load(_ path: String) throws(CommandError) -> BoardDescription {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandError(code: .dataError, message: "\(path): no such file or not readable")
    }
    guard data.count <= maximumBytes else {
      throw CommandError(code: .dataError, message: "\(path): larger than \(maximumBytes) bytes")
    }
    do {
      return try decode([UInt8](data), file: path)
    } catch let error as ProfileError {
      throw CommandError(code: .dataError, message: error.description)
    } catch {
      throw CommandError(code: .dataError, message: "\(path): \(error)")
    }
  }

  static func decode(_ bytes: [UInt8], file: String) throws -> BoardDescription {
    let root: JSONNode
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      throw ProfileError(
        file: file, line: error.line, path: "",
        reason: "invalid JSON at column \(error.column): \(error.message)")
    }
    let reader = JSONReader(node: root, path: "$", file: file)
    let top = try reader.object()
    let versionReader = try top.required("schemaVersion")
    guard try versionReader.integer(in: 0...1_000) == Int64(BoardDescription.schemaVersion) else {
      throw versionReader.fail(
        "board schema version is not supported (this devsim reads version \(BoardDescription.schemaVersion))"
      )
    }
    let name = try top.required("name").identifier()
    _ = try top.optional("description")?.string()
    let sensorsReader = try top.required("sensors")
    let sensorItems = try sensorsReader.array()
    guard (1...maximumSensorCount).contains(sensorItems.count) else {
      throw sensorsReader.fail(
        "a board has 1 … \(maximumSensorCount) sensors, found \(sensorItems.count)")
    }
    var sensors: [BoardSensor] = []
    for item in sensorItems {
      let sensor = try decodeSensor(item)
      guard !sensors.contains(where: { $0.name == sensor.name }) else {
        throw item.fail("sensor name \"\(sensor.name)\" is used twice")
      }
      sensors.append(sensor)
    }
    let stage = try decodeStage(try top.required("powerStage"))
    var interlocks: [BoardInterlockLine] = []
    if let list = top.optional("interlocks") {
      for item in try list.array() {
        let object = try item.object()
        let role: InterlockRole = try object.required("role").choice([
          ("contact", .contact), ("coolant-flow", .coolantFlow), ("key-switch", .keySwitch),
        ])
        interlocks.append(BoardInterlockLine(role: role, line: try decodeLine(object, item)))
        try object.finish()
      }
    }
    var watchdog: BoardWatchdogDevice? = nil
    if let node = top.optional("watchdog") {
      let object = try node.object()
      let path = try object.optional("device")?.string() ?? "/dev/watchdog"
      guard path.hasPrefix("/dev/") else {
        throw try object.required("device").fail(
          "a watchdog device is under /dev, found \"\(path)\"")
      }
      var timeout: Int32? = nil
      if let item = object.optional("timeout") {
        let nanoseconds = try item.duration()
        guard nanoseconds >= 1_000_000_000, nanoseconds <= 3_600_000_000_000 else {
          throw item.fail("a watchdog timeout is 1 s … 1 h")
        }
        timeout = Int32(nanoseconds / 1_000_000_000)
      }
      try object.finish()
      watchdog = BoardWatchdogDevice(path: path, timeoutSeconds: timeout, place: BoardPlace(node))
    }
    var heartbeat: BoardLine? = nil
    if let node = top.optional("heartbeat") {
      let object = try node.object()
      heartbeat = try decodeLine(object, node)
      try object.finish()
    }
    try top.finish()
    return BoardDescription(
      file: file, name: name, sensors: sensors, stage: stage, interlocks: interlocks,
      watchdog: watchdog, heartbeat: heartbeat)
  }

  private static func decodeSensor(_ reader: JSONReader) throws -> BoardSensor {
    let object = try reader.object()
    let name = try object.required("name").identifier()
    var specs: [(SysfsSensorSpec, JSONReader)] = []
    if let node = object.optional("hwmon") {
      let hwmon = try node.object()
      let chip = try hwmon.required("chip").string()
      let device = try hwmon.optional("device")?.string()
      let channel: HwmonChannel
      switch (hwmon.optional("channel"), hwmon.optional("label")) {
      case (let number?, nil): channel = .number(Int(try number.integer(in: 1...1_000)))
      case (nil, let label?): channel = .label(try label.string())
      default: throw node.fail("give exactly one of \"channel\" (a number) or \"label\"")
      }
      try hwmon.finish()
      specs.append((.hwmon(chip: chip, device: device, channel: channel), node))
    }
    if let node = object.optional("iio") {
      let iio = try node.object()
      let device = try iio.required("device").string()
      let channelReader = iio.optional("channel")
      let channel = try channelReader?.string() ?? "temp"
      let type = channel.prefix { !$0.isNumber }
      guard type == "temp" || type == "resistance",
        channel.dropFirst(type.count).allSatisfy(\.isNumber)
      else {
        throw (channelReader ?? node).fail(
          "unknown IIO channel \"\(channel)\"; expected temp, tempN, resistance or resistanceN")
      }
      try iio.finish()
      specs.append((.iio(device: device, channel: channel), node))
    }
    if let node = object.optional("thermalZone") {
      specs.append((.thermalZone(type: try node.string()), node))
    }
    guard specs.count == 1, let (spec, specReader) = specs.first else {
      throw reader.fail("a sensor needs exactly one of \"hwmon\", \"iio\" or \"thermalZone\"")
    }
    var calibration = SensorCalibration()
    try object.number("offset", in: -50...50) { calibration.offsetCelsius = $0 }
    if let node = object.optional("beta") {
      let beta = try node.object()
      calibration.curve = .beta(
        referenceOhms: try beta.required("r0").number(in: 1e-3...1e9),
        referenceCelsius: try beta.optional("t0")?.number(in: -100...200) ?? 25,
        beta: try beta.required("beta").number(in: 1...100_000))
      try beta.finish()
    }
    if let node = object.optional("steinhartHart") {
      guard calibration.curve == nil else {
        throw node.fail("give one of \"beta\" or \"steinhartHart\", not both")
      }
      let coefficients = try node.object()
      calibration.curve = .steinhartHart(
        a: try coefficients.required("a").number(in: -1...1),
        b: try coefficients.required("b").number(in: -1...1),
        c: try coefficients.required("c").number(in: -1...1))
      try coefficients.finish()
    }
    if calibration.curve != nil {
      guard case .iio(_, let channel) = spec, channel.hasPrefix("resistance") else {
        throw specReader.fail(
          "a \"beta\" or \"steinhartHart\" curve applies to an IIO resistance channel only")
      }
    } else if case .iio(_, let channel) = spec, channel.hasPrefix("resistance") {
      throw specReader.fail("a resistance channel needs a \"beta\" or \"steinhartHart\" curve")
    }
    var period: UInt64 = 0
    try object.duration("period") { period = $0 }
    var resolution: Double? = nil
    try object.number("resolution", in: 0...10) { resolution = $0 }
    try object.finish()
    return BoardSensor(
      name: name, spec: spec, calibration: calibration, periodNanoseconds: period,
      resolutionCelsius: resolution, place: BoardPlace(reader))
  }

  private static func decodeStage(_ reader: JSONReader) throws -> BoardStage {
    let object = try reader.object()
    let typeReader = try object.required("type")
    let type = try typeReader.choice([
      ("laser", 0), ("tec-direction", 1), ("tec-dual-pwm", 2),
    ])
    let kind: BoardStageKind
    switch type {
    case 0: kind = .laser(try decodePWM(try object.required("pwm")))
    case 1:
      let directionReader = try object.required("direction")
      let direction = try directionReader.object()
      let line = try decodeLine(direction, directionReader)
      try direction.finish()
      kind = .tecDirection(try decodePWM(try object.required("pwm")), direction: line)
    default:
      kind = .tecDualPWM(
        heat: try decodePWM(try object.required("heatPwm")),
        cool: try decodePWM(try object.required("coolPwm")))
    }
    var enable: BoardLine? = nil
    if let node = object.optional("enable") {
      let line = try node.object()
      enable = try decodeLine(line, node)
      try line.finish()
    }
    var deadTime: UInt64 = type == 0 ? 0 : 10_000_000
    if let node = object.optional("deadTime") {
      deadTime = try node.duration()
      guard deadTime <= 10_000_000_000 else { throw node.fail("a dead time is at most 10 s") }
      guard type != 0 else { throw node.fail("a dead time applies to a TEC bridge only") }
    }
    try object.finish()
    return BoardStage(
      kind: kind, enable: enable, deadTimeNanoseconds: deadTime, place: BoardPlace(reader))
  }

  private static func decodePWM(_ reader: JSONReader) throws -> BoardPWM {
    let object = try reader.object()
    let chip = Int(try object.required("chip").integer(in: 0...1_000))
    let channel = Int(try object.required("channel").integer(in: 0...1_000))
    let period = UInt64(try object.required("periodNanoseconds").integer(in: 1_000...1_000_000_000))
    var inversed = false
    if let node = object.optional("polarity") {
      inversed = try node.choice([("normal", false), ("inversed", true)])
    }
    try object.finish()
    return BoardPWM(
      chip: chip, channel: channel, periodNanoseconds: period, inversed: inversed,
      place: BoardPlace(reader))
  }

  /// Reads `chip`, `line`, `activeLow` and `bias` from `object` (the caller finishes it).
  private static func decodeLine(_ object: ObjectReader, _ reader: JSONReader) throws -> BoardLine {
    let chipReader = try object.required("chip")
    let chip = try chipReader.string()
    guard chip.hasPrefix("gpiochip") || chip.hasPrefix("/dev/") else {
      throw chipReader.fail("a GPIO chip is \"gpiochipN\" or a /dev path, found \"\(chip)\"")
    }
    let offset = UInt32(try object.required("line").integer(in: 0...65_535))
    let activeLow = try object.optional("activeLow")?.bool() ?? false
    var line = BoardLine(
      chip: chip, offset: offset, activeLow: activeLow, place: BoardPlace(reader))
    if let bias = object.optional("bias") {
      let kind = try bias.choice([("none", 0), ("pull-up", 1), ("pull-down", 2)])
      line.pullUp = kind == 1
      line.pullDown = kind == 2
    }
    return line
  }
}
