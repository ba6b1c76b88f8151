import ApplicatorHAL
import ApplicatorLinux

/// Decodes a rig file strictly, as board files are: unknown keys, wrong types and
/// out-of-range values are refused with the file, the line and the JSON path (exit 65).
package enum RigFileDecoder {
  /// The largest rig file accepted, bytes.
  package static let maximumBytes = 1 << 20
  /// The protocols a rig file may name; the first is the only one built so far.
  package static let protocols = ["mecom"]
  /// The largest full-scale current and current limit accepted, A (the TEC family's
  /// largest instruments drive tens of amperes).
  package static let maximumCurrentAmperes = 100.0
  /// The communication watchdog's accepted range, s: long enough for a loaded host's tick,
  /// short enough that a dead host's last command does not run on.
  package static let watchdogRangeSeconds: ClosedRange<Double> = 0.2...10
  /// The watchdog a rig file gets when it gives none, s.
  package static let defaultWatchdogSeconds = 1.0
  /// The reply deadlines a rig file may give, ns: a slower link (a loaded emulator, an
  /// Ethernet adapter) may need more than the default; a silent instrument costs it once a
  /// tick, and the loop's overrun watchdog bounds what that does to the loop.
  package static let replyDeadlineRangeNanoseconds: ClosedRange<UInt64> =
    50_000_000...500_000_000

  /// Reads and decodes `path`.
  package static func load(_ path: String) throws(KitError) -> RigFile {
    try JSONFile.load(path, maximumBytes: maximumBytes) { try decode($0, file: path) }
  }

  /// Decodes the bytes of a rig file named `file`.
  package static func decode(_ bytes: [UInt8], file: String) throws -> RigFile {
    let reader = try JSONFile.root(of: bytes, file: file)
    let top = try reader.object()
    let versionReader = try top.required("schemaVersion")
    guard try versionReader.integer(in: 0...1_000) == Int64(RigFile.schemaVersion) else {
      throw versionReader.fail(
        "rig file schema version is not supported (this devsim reads version \(RigFile.schemaVersion))"
      )
    }
    let name = try top.required("name").identifier()
    _ = try top.optional("description")?.string()
    let protocolReader = try top.required("protocol")
    let family = try protocolReader.string()
    guard protocols.contains(family) else {
      let later = ["arroyo", "scpi", "modbus"].contains(family) ? " (not built yet)" : ""
      throw protocolReader.fail(
        "unknown protocol \"\(family)\"\(later); this devsim drives: \(protocols.joined(separator: ", "))"
      )
    }
    let portReader = try top.required("port")
    let port = try decodePort(portReader.object(), portReader)
    let (sensors, channels) = try decodeChannels(try top.required("channels"))
    let commandReader = try top.required("command")
    let command = try commandReader.object()
    let heatingReader = try command.required("heating")
    let heatingSign = try heatingReader.choice([
      ("positive-current", 1.0), ("negative-current", -1.0),
    ])
    let fullScaleReader = try command.required("fullScaleCurrent")
    let fullScale = try fullScaleReader.number(in: 0...maximumCurrentAmperes)
    guard fullScale > 0 else { throw fullScaleReader.fail("a full-scale current is above 0 A") }
    try command.finish()
    let limitsReader = try top.required("limits")
    let limits = try limitsReader.object()
    let currentReader = try limits.required("current")
    let current = try currentReader.number(in: 0...maximumCurrentAmperes)
    guard current > 0, current <= fullScale else {
      throw currentReader.fail(
        "the current limit is above 0 A and at most the full-scale current (\(format(fullScale)) A)"
      )
    }
    let objectReader = try limits.required("objectTemperature")
    let object = try objectReader.object()
    let low = try object.required("low").number(in: -100...200)
    let highReader = try object.required("high")
    let high = try highReader.number(in: -100...200)
    guard low < high else { throw highReader.fail("high must be above low (\(format(low)) °C)") }
    try object.finish()
    try limits.finish()
    var watchdog = defaultWatchdogSeconds
    if let node = top.optional("watchdog") {
      watchdog = Double(try node.duration()) / 1e9
      guard watchdogRangeSeconds.contains(watchdog) else {
        throw node.fail(
          "the communication watchdog is \(format(watchdogRangeSeconds.lowerBound)) … \(format(watchdogRangeSeconds.upperBound)) s"
        )
      }
    }
    var replyTimeout = MeComLink.loopReplyTimeoutNanoseconds
    if let node = top.optional("replyDeadline") {
      replyTimeout = try node.duration()
      guard replyDeadlineRangeNanoseconds.contains(replyTimeout) else {
        throw node.fail("the reply deadline is 50 ms … 500 ms")
      }
    }
    try decodeInterlocks(try top.required("interlocks"))
    try top.finish()
    var settings = MeComSettings(
      address: port.address, deviceType: port.deviceType, channels: channels,
      fullScaleCurrentAmperes: fullScale, heatingCurrentSign: heatingSign,
      currentLimitAmperes: current, objectLowCelsius: low, objectHighCelsius: high,
      watchdogSeconds: watchdog)
    settings.replyTimeoutNanoseconds = replyTimeout
    return RigFile(
      file: file, name: name, port: port.device, baud: port.baud, sensors: sensors,
      instrument: .mecom(settings))
  }

  private static func decodePort(_ object: ObjectReader, _ reader: JSONReader) throws -> (
    device: String, baud: Int, address: UInt8, deviceType: Int32
  ) {
    let deviceReader = try object.required("device")
    let device = try deviceReader.string()
    if device.hasPrefix("tcp://") {
      let rest = device.dropFirst("tcp://".count)
      let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, let number = Int(parts[1]),
        (1...65_535).contains(number)
      else {
        throw deviceReader.fail("a TCP device is tcp://host:port, found \"\(device)\"")
      }
    } else {
      let components = device.split(separator: "/", omittingEmptySubsequences: false)
      guard device.hasPrefix("/dev/"), components.count >= 3,
        !components.dropFirst().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
      else {
        throw deviceReader.fail(
          "a device is a tty under /dev (no empty, '.' or '..' component) or tcp://host:port, found \"\(device)\""
        )
      }
    }
    let baudReader = object.optional("baud")
    let baud = Int(try baudReader?.integer(in: 1_200...4_000_000) ?? 57_600)
    let address = UInt8(try object.required("address").integer(in: 0...254))
    let deviceType = Int32(try object.required("deviceType").integer(in: 1...1_000_000))
    try object.finish()
    return (device, baud, address, deviceType)
  }

  private static func decodeChannels(_ reader: JSONReader) throws -> ([String], [MeComChannel]) {
    let items = try reader.array()
    guard (1...maximumSensorCount).contains(items.count) else {
      throw reader.fail("a rig has 1 … \(maximumSensorCount) channels, found \(items.count)")
    }
    var sensors: [String] = []
    var channels: [MeComChannel] = []
    for item in items {
      let object = try item.object()
      let sensorReader = try object.required("sensor")
      let sensor = try sensorReader.identifier()
      guard !sensors.contains(sensor) else {
        throw sensorReader.fail("sensor \"\(sensor)\" is mapped twice")
      }
      let parameter: UInt16 = try object.required("read").choice([
        ("object-temperature", MeComParameter.objectTemperature),
        ("sink-temperature", MeComParameter.sinkTemperature),
      ])
      let instance = UInt8(try object.optional("instance")?.integer(in: 1...8) ?? 1)
      let channel = MeComChannel(parameterID: parameter, instance: instance)
      if let first = channels.firstIndex(of: channel) {
        throw item.fail(
          "sensor \"\(sensor)\" reads the channel sensor \"\(sensors[first])\" reads: two sensors on one channel are one sensor"
        )
      }
      try object.finish()
      sensors.append(sensor)
      channels.append(channel)
    }
    return (sensors, channels)
  }

  /// The interlocks both modes' supervisors check must be accounted for, as in a board
  /// file; a MeCom TEC has no input devsim reads, so each is declared absent on purpose.
  private static func decodeInterlocks(_ reader: JSONReader) throws {
    var seen: [InterlockRole] = []
    for item in try reader.array() {
      let object = try item.object()
      let roleReader = try object.required("role")
      let role = try roleReader.choice(BoardDecoder.requiredInterlocks.map { ($0.boardName, $0) })
      guard !seen.contains(role) else {
        throw roleReader.fail("interlock \"\(role.boardName)\" is listed twice")
      }
      let absent = try object.required("absent")
      guard try absent.bool() else {
        throw absent.fail(
          "a MeCom instrument has no interlock input devsim reads: declare it absent (true) and wire the interlock into the instrument's enable or the supply"
        )
      }
      try object.finish()
      seen.append(role)
    }
    for role in BoardDecoder.requiredInterlocks where !seen.contains(role) {
      throw reader.fail(
        "the rig has no \(role.boardName) interlock: declare { \"role\": \"\(role.boardName)\", \"absent\": true } (the supervisor then sees it always made; docs/instruments.md)"
      )
    }
  }
}
