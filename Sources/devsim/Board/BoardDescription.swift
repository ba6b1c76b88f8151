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

  /// The chip's device path: `gpiochip0` and `/dev/gpiochip0` are one chip.
  var chipPath: String { chip.hasPrefix("/") ? chip : "/dev/\(chip)" }
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
  /// The driver-enable or relay line; `nil` only when the board file says
  /// `"enable": "none"` (a run warns at start).
  var enable: BoardLine?
  var deadTimeNanoseconds: UInt64
  var place: BoardPlace
}

/// An interlock of a board file: an input line, or declared absent
/// (`"absent": true`: the supervisor then always sees it made).
struct BoardInterlockLine {
  var role: InterlockRole
  /// The input; `nil` when the board file declares the interlock absent.
  var line: BoardLine?
  var place: BoardPlace
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

  /// The interlock roles the board file declares absent.
  var absentInterlocks: [InterlockRole] {
    interlocks.filter { $0.line == nil }.map(\.role)
  }

  /// What a run prints before it starts and `board check` reports: every
  /// cut or interlock the board file has declared missing.
  var warnings: [String] {
    var warnings: [String] = []
    if stage.enable == nil {
      warnings.append(
        "\(stage.place.description): \"enable\": \"none\": the power stage has NO enable line; a zero duty cycle is the only software cut"
      )
    }
    for interlock in interlocks where interlock.line == nil {
      warnings.append(
        "\(interlock.place.description): the \(interlock.role.boardName) interlock is declared ABSENT; the supervisor sees it always made"
      )
    }
    return warnings
  }
}

extension InterlockRole {
  /// The role's name in a board file.
  var boardName: String {
    switch self {
    case .contact: "contact"
    case .coolantFlow: "coolant-flow"
    case .keySwitch: "key-switch"
    }
  }
}
