import ApplicatorHAL
import ApplicatorLinux
import DevsimKit

/// `devsim board check`: opens every device of a board file, reads every
/// sensor once and reports what it found, driving no output.
enum BoardCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--sysfs-root"], flags: ["--help"], aliases: ["-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.board)
      return .success
    }
    guard let action = parsed.positionals.first else {
      throw CommandError(code: .usage, message: "missing action (check)", showUsage: true)
    }
    guard action == "check" else {
      throw CommandError(
        code: .usage, message: "unknown board action '\(action)' (expected check)", showUsage: true)
    }
    guard parsed.positionals.count == 2 else {
      throw CommandError(
        code: .usage, message: "board check takes one board file", showUsage: true)
    }
    let board = try BoardDecoder.load(parsed.positionals[1])
    let io = PosixBoardIO(root: parsed.option("--sysfs-root") ?? "/")
    return check(board, io: io, console: console)
  }

  /// Opens everything but the outputs, reads each sensor once, and prints a
  /// report. 0 when every sensor read, 1 when one failed; a board file that
  /// names something the board does not have is refused (65).
  static func check(_ board: BoardDescription, io: any BoardIO, console: Console) -> ExitCode {
    let inputs: BoardInputs
    do throws(CommandError) {
      inputs = try BoardOpener(board: board, io: io).openInputs()
    } catch {
      console.writeError("Error: \(error.message)\n")
      return error.code
    }
    var report = "board \(board.name) (\(board.file))\n"
    var failed = false
    for (entry, sensor) in inputs.sensors {
      var sensor = sensor
      let reading: String
      do throws(FaultKind) {
        let sample = try sensor.read(nowNanoseconds: MonotonicClock.rawNanoseconds())
        reading = "\(DecimalText.string(sample.celsius, decimals: 3)) °C"
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
