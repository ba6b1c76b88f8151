import ApplicatorHAL
import ApplicatorLinux
import Foundation

/// Decodes a board file strictly, with the project's own JSON parser:
/// unknown keys, wrong types and out-of-range values are refused with the
/// file, the line and the JSON path (exit 65).
package enum BoardDecoder {
  /// The largest board file accepted, bytes.
  package static let maximumBytes = 1 << 20
  /// The coarsest sensor resolution accepted, °C: the stuck check ignores
  /// changes below it, and the treatment window is 2 °C wide.
  package static let maximumResolutionCelsius = 0.5

  /// Reads and decodes `path`.
  package static func load(_ path: String) throws(KitError) -> BoardDescription {
    try JSONFile.load(path, maximumBytes: maximumBytes) { try decode($0, file: path) }
  }

  package static func decode(_ bytes: [UInt8], file: String) throws -> BoardDescription {
    let reader = try JSONFile.root(of: bytes, file: file)
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
    let interlocks = try decodeInterlocks(top.optional("interlocks"), top: reader)
    var watchdog: BoardWatchdogDevice? = nil
    if let node = top.optional("watchdog") {
      let object = try node.object()
      var path = "/dev/watchdog"
      if let device = object.optional("device") {
        path = try devicePath(device, what: "a watchdog device")
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
    let board = BoardDescription(
      file: file, name: name, sensors: sensors, stage: stage, interlocks: interlocks,
      watchdog: watchdog, heartbeat: heartbeat)
    try refuseDuplicates(board)
    return board
  }

  /// The interlocks every board must account for: both modes' supervisors
  /// check contact and coolant flow (SafetySupervisor.checkInterlocks), and
  /// an unwired interlock reads as made, so each must be wired or declared
  /// `"absent": true` on purpose.
  package static let requiredInterlocks: [InterlockRole] = [.contact, .coolantFlow]

  /// `interlocks[]`: each a line plus a role, or a role declared absent.
  private static func decodeInterlocks(_ list: JSONReader?, top: JSONReader) throws
    -> [BoardInterlockLine]
  {
    var interlocks: [BoardInterlockLine] = []
    for item in try list?.array() ?? [] {
      let object = try item.object()
      let role: InterlockRole = try object.required("role").choice([
        ("contact", .contact), ("coolant-flow", .coolantFlow), ("key-switch", .keySwitch),
      ])
      if let absent = object.optional("absent") {
        guard try absent.bool() else {
          throw absent.fail("\"absent\" is true or left out (then give the line)")
        }
        guard role != .keySwitch else {
          throw absent.fail("a key switch is wired or left out, not declared absent")
        }
        try object.finish()
        interlocks.append(BoardInterlockLine(role: role, line: nil, place: BoardPlace(item)))
      } else {
        let line = try decodeLine(object, item)
        try object.finish()
        interlocks.append(BoardInterlockLine(role: role, line: line, place: BoardPlace(item)))
      }
    }
    for role in requiredInterlocks {
      let entries = interlocks.filter { $0.role == role }
      if entries.isEmpty {
        throw (list ?? top).fail(
          "the board has no \(role.boardName) interlock: wire its input line, or declare { \"role\": \"\(role.boardName)\", \"absent\": true } (the supervisor then sees it always made; docs/boards.md)"
        )
      }
      if entries.count > 1, let absent = entries.first(where: { $0.line == nil }) {
        throw JSONDataError(
          file: absent.place.file, line: absent.place.line, path: absent.place.path,
          reason: "the \(role.boardName) interlock is declared absent and also wired")
      }
    }
    return interlocks
  }

  /// Refuses a PWM channel or a GPIO line used twice: two outputs on one
  /// pin fight, and an interlock on an output pin reads the program's own level.
  private static func refuseDuplicates(_ board: BoardDescription) throws {
    // Two sensors on one channel are one sensor: a redundant sensor on its
    // control sensor's file never disagrees with it. (Two names for one
    // file, a channel number and its label, are refused when opened.)
    for (index, sensor) in board.sensors.enumerated() {
      if let first = board.sensors.prefix(index).first(where: { $0.spec == sensor.spec }) {
        throw JSONDataError(
          file: sensor.place.file, line: sensor.place.line, path: sensor.place.path,
          reason:
            "sensor \"\(sensor.name)\" reads the channel sensor \"\(first.name)\" (\(first.place.path)) reads: two sensors on one file are one sensor"
        )
      }
    }
    var pwms: [BoardPWM] = []
    switch board.stage.kind {
    case .laser(let pwm), .tecDirection(let pwm, _): pwms = [pwm]
    case .tecDualPWM(let heat, let cool): pwms = [heat, cool]
    }
    if pwms.count == 2, pwms[0].chip == pwms[1].chip, pwms[0].channel == pwms[1].channel {
      throw duplicate(
        pwms[1].place, "pwmchip\(pwms[0].chip) channel \(pwms[0].channel)", pwms[0].place)
    }
    var lines: [BoardLine] = []
    if case .tecDirection(_, let direction) = board.stage.kind { lines.append(direction) }
    if let enable = board.stage.enable { lines.append(enable) }
    if let heartbeat = board.heartbeat { lines.append(heartbeat) }
    lines += board.interlocks.compactMap(\.line)
    for (index, line) in lines.enumerated() {
      if let first = lines.prefix(index).first(where: {
        $0.chipPath == line.chipPath && $0.offset == line.offset
      }) {
        throw duplicate(line.place, "\(line.chipPath) line \(line.offset)", first.place)
      }
    }
  }

  private static func duplicate(_ place: BoardPlace, _ what: String, _ first: BoardPlace)
    -> JSONDataError
  {
    JSONDataError(
      file: place.file, line: place.line, path: place.path,
      reason: "\(what) is already used by \(first.path)")
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
    if let node = object.optional("period") {
      period = try node.duration()
      let limit = SysfsSensorLocator.maximumPeriodNanoseconds
      guard period <= limit else {
        throw node.fail(
          "a sensor period is at most \(limit / 1_000_000) ms (staleness and stuck-ness are judged on it)"
        )
      }
    }
    var resolution: Double? = nil
    try object.number("resolution", in: 0...maximumResolutionCelsius) { resolution = $0 }
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
    // Required: a line, or "none" on purpose (a run then warns at start).
    let enableReader = try object.required("enable")
    var enable: BoardLine? = nil
    if case .string = enableReader.node.value {
      guard try enableReader.string() == "none" else {
        throw enableReader.fail("\"enable\" is a line or \"none\"")
      }
    } else {
      let line = try enableReader.object()
      enable = try decodeLine(line, enableReader)
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

  /// A device path: absolute, under `/dev/`, and meaning what it says: no
  /// empty, `.` or `..` component (`/dev/../victim.txt` is refused here,
  /// before anything is opened). Symbolic links are resolved when the
  /// board is opened, where the result must be a character device.
  private static func devicePath(_ reader: JSONReader, what: String) throws(JSONDataError)
    -> String
  {
    let path = try reader.string()
    let components = path.split(separator: "/", omittingEmptySubsequences: false)
    guard path.hasPrefix("/dev/"), components.count >= 3,
      !components.dropFirst().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
    else {
      throw reader.fail(
        "\(what) is a path under /dev with no empty, '.' or '..' component, found \"\(path)\"")
    }
    return path
  }

  /// Reads `chip`, `line`, `activeLow` and `bias` from `object` (the caller finishes it).
  private static func decodeLine(_ object: ObjectReader, _ reader: JSONReader) throws -> BoardLine {
    let chipReader = try object.required("chip")
    let chip = try chipReader.string()
    let digits = chip.dropFirst("gpiochip".count)
    if chip.hasPrefix("/") {
      _ = try devicePath(chipReader, what: "a GPIO chip")
    } else {
      guard chip.hasPrefix("gpiochip"), !digits.isEmpty,
        digits.allSatisfy({ ("0"..."9").contains($0) })
      else {
        throw chipReader.fail("a GPIO chip is \"gpiochipN\" or a /dev path, found \"\(chip)\"")
      }
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
