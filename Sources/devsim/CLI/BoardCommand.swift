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
      reads the interlocks, and prints what it found. It drives no output: PWM channels are
      not exported, output lines not requested, the watchdog not opened (that would arm it).
      """,
    exitCodes: [
      (.success, "every device found and read"),
      (.checkFailed, "a sensor or interlock read failed"), (.usage, nil),
      (
        .dataError,
        "bad board file (unknown device, a device file the board lacks, channel out of range, a channel or line used twice, an interlock neither wired nor declared absent)"
      ),
      (.noInput, "the board file is missing or unreadable"),
      (.ioError, "a device that exists could not be opened or read"),
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
  /// report. 0 when every sensor read, 1 when one failed or read implausibly; a board file that
  /// names something the board does not have is refused (bad data).
  static func check(_ board: BoardDescription, io: any BoardIO, console: Console) -> ExitCode {
    let inputs: BoardInputs
    do throws(KitError) {
      inputs = try BoardOpener(board: board, io: io).openInputs()
    } catch {
      let failure = ExitStatus.failure(for: error)
      console.writeError("Error: \(failure.message)\n")
      return failure.code
    }
    var report = "board \(board.name) (\(board.file))\n"
    var failed = false
    for (entry, sensor) in inputs.sensors {
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
          failed = true
        }
      } catch {
        reading = "FAULT \(error.name)"
        failed = true
      }
      let period =
        sensor.periodNanoseconds > 0
        ? ", period \(DecimalText.string(Double(sensor.periodNanoseconds) / 1e6, decimals: 0)) ms"
        : ""
      report += "  sensor \(entry.name): \(sensor.path)\(period): \(reading)\n"
    }
    for (entry, location) in inputs.pwms {
      report +=
        "  pwm \(location.channelPath): found (period \(entry.periodNanoseconds) ns, not driven)\n"
    }
    for (_, location) in inputs.lines {
      report += "  output line \(location.chipPath) \(location.offset): found (not requested)\n"
    }
    for interlock in inputs.interlocks {
      var line = interlock.line
      let state: String
      do throws(FaultKind) {
        state = try line.read(nowNanoseconds: 0) ? "made" : "OPEN"
      } catch {
        state = "FAULT \(error.name)"
        failed = true
      }
      report +=
        "  interlock \(interlock.role): \(line.line.location.chipPath) \(line.line.location.offset): \(state)\n"
    }
    if let watchdog = board.watchdog {
      report += "  watchdog \(watchdog.path): found (not opened: opening arms it)\n"
    }
    for warning in board.warnings { report += "  WARNING: \(warning)\n" }
    report += failed ? "result FAIL\n" : "result OK\n"
    console.write(report)
    return failed ? .checkFailed : .success
  }
}
