import ApplicatorHAL

/// Where an entry of a board file is, for messages: `bench.json:12: $.sensors[1]`.
struct BoardPlace {
  var file: String
  var line: Int?
  var path: String

  init(_ reader: JSONReader) {
    file = reader.file
    line = reader.node.line
    path = reader.path
  }

  var description: String { "\(line.map { "\(file):\($0)" } ?? file): \(path)" }
}

/// A sensor of a board file: which profile sensor it is and where it lives.
struct BoardSensor {
  var name: String
  var spec: SysfsSensorSpec
  var calibration: SensorCalibration
  /// The board file's period, ns (0: not given).
  var periodNanoseconds: UInt64
  /// The board file's resolution, °C.
  var resolutionCelsius: Double?
  var place: BoardPlace
}

/// A PWM channel of a board file.
struct BoardPWM {
  var chip: Int
  var channel: Int
  var periodNanoseconds: UInt64
  var inversed: Bool
  var place: BoardPlace
}

/// A GPIO line of a board file.
struct BoardLine {
  var chip: String
  var offset: UInt32
  var activeLow: Bool
  var pullUp = false
  var pullDown = false
  var place: BoardPlace
}

/// The power stage of a board file.
enum BoardStageKind {
  /// One PWM channel, 0 … 1 (a laser driver, a heater).
  case laser(BoardPWM)
  /// PWM magnitude and a direction line whose active level heats.
  case tecDirection(BoardPWM, direction: BoardLine)
  /// Two PWM channels: heat and cool.
  case tecDualPWM(heat: BoardPWM, cool: BoardPWM)

  var commandRange: CommandRange {
    if case .laser = self { return .unipolar }
    return .bipolar
  }
}

/// The power stage, its enable line and its dead time.
struct BoardStage {
  var kind: BoardStageKind
  var enable: BoardLine?
  var deadTimeNanoseconds: UInt64
  var place: BoardPlace
}

/// An interlock input of a board file.
struct BoardInterlockLine {
  var role: InterlockRole
  var line: BoardLine
}

/// A hardware watchdog of a board file.
struct BoardWatchdogDevice {
  var path: String
  var timeoutSeconds: Int32?
  var place: BoardPlace
}

/// A board file, decoded and checked: which devices carry a profile's
/// sensors, power stage and interlocks.
struct BoardDescription {
  static let schemaVersion = 1

  var file: String
  var name: String
  var sensors: [BoardSensor]
  var stage: BoardStage
  var interlocks: [BoardInterlockLine]
  var watchdog: BoardWatchdogDevice?
  var heartbeat: BoardLine?
}
