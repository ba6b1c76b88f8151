import ApplicatorHAL
import ApplicatorLinux

/// Where an entry of a board file is, for messages: `bench.json:12: $.sensors[1]`.
package struct BoardPlace {
  package var file: String
  package var line: Int?
  package var path: String

  package init(_ reader: JSONReader) {
    file = reader.file
    line = reader.node.line
    path = reader.path
  }

  package var description: String { "\(line.map { "\(file):\($0)" } ?? file): \(path)" }
}

/// A sensor of a board file: which profile sensor it is and where it lives.
package struct BoardSensor {
  package var name: String
  package var spec: SysfsSensorSpec
  package var calibration: SensorCalibration
  /// The board file's period, ns (0: not given).
  package var periodNanoseconds: UInt64
  /// The board file's resolution, °C.
  package var resolutionCelsius: Double?
  package var place: BoardPlace
}

/// A PWM channel of a board file.
package struct BoardPWM {
  package var chip: Int
  package var channel: Int
  package var periodNanoseconds: UInt64
  package var inversed: Bool
  package var place: BoardPlace
}

/// A GPIO line of a board file.
package struct BoardLine {
  package var chip: String
  package var offset: UInt32
  package var activeLow: Bool
  package var pullUp = false
  package var pullDown = false
  package var place: BoardPlace

  /// The chip's device path: `gpiochip0` and `/dev/gpiochip0` are one chip.
  package var chipPath: String { chip.hasPrefix("/") ? chip : "/dev/\(chip)" }
}

/// The power stage of a board file.
package enum BoardStageKind {
  /// One PWM channel, 0 … 1 (a laser driver, a heater).
  case laser(BoardPWM)
  /// PWM magnitude and a direction line whose active level heats.
  case tecDirection(BoardPWM, direction: BoardLine)
  /// Two PWM channels: heat and cool.
  case tecDualPWM(heat: BoardPWM, cool: BoardPWM)

  package var commandRange: CommandRange {
    if case .laser = self { return .unipolar }
    return .bipolar
  }
}

/// The power stage, its enable line and its dead time.
package struct BoardStage {
  package var kind: BoardStageKind
  /// The driver-enable or relay line; `nil` only when the board file says
  /// `"enable": "none"` (a run warns at start).
  package var enable: BoardLine?
  package var deadTimeNanoseconds: UInt64
  package var place: BoardPlace
}

/// An interlock of a board file: an input line, or declared absent
/// (`"absent": true`: the supervisor then always sees it made).
package struct BoardInterlockLine {
  package var role: InterlockRole
  /// The input; `nil` when the board file declares the interlock absent.
  package var line: BoardLine?
  package var place: BoardPlace
}

/// A hardware watchdog of a board file.
package struct BoardWatchdogDevice {
  package var path: String
  package var timeoutSeconds: Int32?
  package var place: BoardPlace
}

/// A board file, decoded and checked: which devices carry a profile's
/// sensors, power stage and interlocks.
package struct BoardDescription {
  package static let schemaVersion = 1

  package var file: String
  package var name: String
  package var sensors: [BoardSensor]
  package var stage: BoardStage
  package var interlocks: [BoardInterlockLine]
  package var watchdog: BoardWatchdogDevice?
  package var heartbeat: BoardLine?

  /// The interlock roles the board file declares absent.
  package var absentInterlocks: [InterlockRole] {
    interlocks.filter { $0.line == nil }.map(\.role)
  }

  /// What a run prints before it starts and `board check` reports: every
  /// cut or interlock the board file has declared missing.
  package var warnings: [String] {
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
  package var boardName: String {
    switch self {
    case .contact: "contact"
    case .coolantFlow: "coolant-flow"
    case .keySwitch: "key-switch"
    }
  }
}
