import ApplicatorHAL
import ApplicatorLinux
import DevsimKit
import ThermalLoop

/// `devsim board check`: opens every device of a board file, reads every
/// sensor once and reports what it found, driving no output.
enum BoardCommand: DevsimCommand {
  static let check = CommandSpec(
    name: "board check", abstract: "Check a Linux board file against the board's devices.",
    arguments: [ArgumentSpec(name: "board", help: ["The board file (JSON, docs/boards.md)."])],
    options: [CommonOptions.sysfsRoot.spec],
    notes: """
      Opens every sensor and reads it once, checks every PWM channel and GPIO line exists,
      reads the interlocks, and prints one line per device: found, MISSING, FAULT or
      REFUSED, going on past a device that failed. It drives no output: PWM channels are
      not exported, output lines not requested, the watchdog not opened (that would arm it).
      """,
    exitCodes: [
      (.success, "every device found and read"),
      (.checkFailed, "every device found, but a sensor or interlock read failed or is implausible"),
      (.usage, nil),
      (
        .dataError,
        "a malformed board file (checked before any device: syntax, unknown key, value out of range, a channel, line or sensor file used twice, an interlock neither wired nor declared absent), or a device that reports something unusable (not a character device, an update_interval above 2 s, two sensors on one file)"
      ),
      (.noInput, "the board file is missing or unreadable"),
      (
        .ioError,
        "a device missing (no such chip, channel, line or file) or one that could not be opened; every device is reported first"
      ),
    ])

  static let spec = CommandSpec(
    name: "board", abstract: "Check a Linux board file against the board's devices.",
    exitCodes: [(.usage, nil)], subcommands: [check], subcommandNoun: "action")

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let board = try BoardDecoder.load(parsed.positionals[0])
    let io = PosixBoardIO(root: try CommonOptions.sysfsRoot.value(parsed) ?? "/")
    return check(board, io: io, console: console)
  }

  /// A reading outside the plausible range of every mode (the supervisor's
  /// defaults, docs/safety.md) fails the check: −300 °C is a broken sensor, not OK.
  static var plausibleRange: TemperatureWindow {
    let cryo = SafetyConfiguration(mode: .cryolipolysis).plausibleRange
    let laser = SafetyConfiguration(mode: .laserLipolysis).plausibleRange
    return TemperatureWindow(
      lowCelsius: min(cryo.lowCelsius, laser.lowCelsius),
      highCelsius: max(cryo.highCelsius, laser.highCelsius))
  }

  /// Opens everything but the outputs, reads each sensor once, and prints a
  /// report with one line per device (found, MISSING, FAULT or REFUSED),
  /// going on past a device that failed so the whole board is reported.
  ///
  /// - Returns: 74 when a device is missing or failed to open (as in a
  ///   run), else 65 when one reports something that cannot be used, else
  ///   1 when a sensor or interlock read failed or a reading is implausible,
  ///   else 0.
  static func check(_ board: BoardDescription, io: any BoardIO, console: Console) -> ExitCode {
    let opener = BoardOpener(board: board, io: io)
    var problems: [BoardDeviceProblem] = []
    var report = "board \(board.name) (\(board.file))\n"
    var readFailed = false
    func problem(_ what: String, _ found: BoardDeviceProblem) {
      problems.append(found)
      report += "  \(what): \(found.label): \(found.message)\n"
    }
    var sensors: [(BoardSensor, SysfsTemperatureSensor)] = []
    for entry in board.sensors {
      do throws(BoardDeviceProblem) {
        sensors.append((entry, try opener.openSensor(entry)))
      } catch {
        problem("sensor \(entry.name)", error)
      }
    }
    let shared = opener.sharedFiles(sensors)
    for (entry, sensor) in sensors {
      var sensor = sensor
      let reading: String
      do throws(FaultKind) {
        let sample = try sensor.read(nowNanoseconds: MonotonicClock.rawNanoseconds())
        let plausible = plausibleRange
        if plausible.contains(sample.celsius) {
          reading = "\(DecimalText.string(sample.celsius, decimals: 3)) °C"
        } else {
          reading =
            "IMPLAUSIBLE \(DecimalText.string(sample.celsius, decimals: 3)) °C (outside "
            + "\(DecimalText.string(plausible.lowCelsius, decimals: 0)) … "
            + "\(DecimalText.string(plausible.highCelsius, decimals: 0)) °C)"
          readFailed = true
        }
      } catch {
        reading = "FAULT \(error.name)"
        readFailed = true
      }
      let period =
        sensor.periodNanoseconds > 0
        ? ", period \(DecimalText.string(Double(sensor.periodNanoseconds) / 1e6, decimals: 0)) ms"
        : ""
      report += "  sensor \(entry.name): \(sensor.path)\(period): \(reading)\n"
    }
    for found in shared { problem("sensors", found) }
    let outputs = opener.outputEntries
    for entry in outputs.pwms {
      do throws(BoardDeviceProblem) {
        let location = try opener.locatePWM(entry)
        report +=
          "  pwm \(location.channelPath): found (period \(entry.periodNanoseconds) ns, not driven)\n"
      } catch {
        problem("pwm \(entry.place.path)", error)
      }
    }
    for entry in outputs.lines {
      do throws(BoardDeviceProblem) {
        let location = try opener.locateLine(entry)
        report += "  output line \(location.chipPath) \(location.offset): found (not requested)\n"
      } catch {
        problem("output line \(entry.place.path)", error)
      }
    }
    for interlock in board.interlocks where interlock.line != nil {
      do throws(BoardDeviceProblem) {
        var line = try opener.openInterlock(interlock).line
        let state: String
        do throws(FaultKind) {
          state = try line.read(nowNanoseconds: 0) ? "made" : "OPEN"
        } catch {
          state = "FAULT \(error.name)"
          readFailed = true
        }
        report +=
          "  interlock \(interlock.role): \(line.line.location.chipPath) \(line.line.location.offset): \(state)\n"
      } catch {
        problem("interlock \(interlock.role.boardName)", error)
      }
    }
    if let watchdog = board.watchdog {
      do throws(BoardDeviceProblem) {
        try opener.checkWatchdog(watchdog)
        report += "  watchdog \(watchdog.path): found (not opened: opening arms it)\n"
      } catch {
        problem("watchdog", error)
      }
    }
    for warning in board.warnings { report += "  WARNING: \(warning)\n" }
    let code: ExitCode
    if problems.contains(where: { $0.kind != .unusable }) {
      code = .ioError
    } else if !problems.isEmpty {
      code = .dataError
    } else {
      code = readFailed ? .checkFailed : .success
    }
    let missing = problems.filter { $0.kind == .absent }.count
    if code == .success {
      report += "result OK\n"
    } else if problems.isEmpty {
      report += "result FAIL (every device found; a reading failed)\n"
    } else {
      report += "result FAIL (\(problems.count) device problem(s), \(missing) missing)\n"
    }
    console.write(report)
    for found in problems { console.writeError("Error: \(found.message)\n") }
    return code
  }
}
