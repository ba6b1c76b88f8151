import ApplicatorHAL
import ApplicatorLinux
import DevsimKit
import ThermalLoop

/// `devsim run`: one profile on the simulator, a recorded trace, a rig or a board.
enum RunCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments,
      options: [
        "--seed", "--out", "--format", "--speed", "--rig", "--board", "--sysfs-root",
        "--rt-priority", "--plot",
      ],
      flags: ["--quiet", "--lock-memory", "--help"],
      aliases: ["-o": "--out", "-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.run)
      return .success
    }
    guard parsed.positionals.count == 1 else {
      throw CommandError(
        code: .usage,
        message: parsed.positionals.isEmpty
          ? "missing <profile>" : "run takes one profile, found \(parsed.positionals.count)",
        showUsage: true)
    }
    var seedOverride: UInt64? = nil
    if let text = parsed.option("--seed") {
      guard let seed = UInt64(text) else {
        throw CommandError(
          code: .usage, message: "--seed needs a whole number ≥ 0, found '\(text)'", showUsage: true
        )
      }
      seedOverride = seed
    }
    let pacing = try parsePacing(parsed.option("--speed"))
    let out = parsed.option("--out")
    let output = RunOutput(
      telemetry: out, format: try parseFormat(parsed.option("--format"), out: out),
      plot: parsed.option("--plot"), quiet: parsed.flag("--quiet"))
    let realTime = try ControlThread.request(parsed)
    let rig = parsed.option("--rig")
    let board = parsed.option("--board")
    if pacing == .maximum && rig == nil && board == nil
      && (realTime.priority != nil || realTime.lockMemory)
    {
      throw CommandError(
        code: .usage,
        message:
          "--rt-priority and --lock-memory apply to wall-clock runs (--rig, --board, or --speed realtime or a factor)",
        showUsage: true)
    }
    if parsed.option("--sysfs-root") != nil && board == nil {
      throw CommandError(
        code: .usage, message: "--sysfs-root applies to --board only", showUsage: true)
    }
    if board != nil && rig != nil {
      throw CommandError(
        code: .usage, message: "--board and --rig cannot be used together", showUsage: true)
    }

    let loaded = try ProfileLoader.load(parsed.positionals[0])
    if let board {
      return try performOnBoard(
        loaded, boardPath: board, root: parsed.option("--sysfs-root") ?? "/", output: output,
        realTime: realTime, console: console)
    }
    if let rig {
      var speed = 1.0
      if case .factor(let factor) = pacing { speed = factor }
      return try performOnRig(
        loaded, device: rig, speed: speed, output: output, realTime: realTime, console: console)
    }
    return try perform(
      loaded, seed: seedOverride ?? loaded.profile.seed, pacing: pacing, output: output,
      realTime: realTime, console: console)
  }

  /// Runs a loaded scenario on the simulator (or a recorded trace), writes
  /// its telemetry and plot, prints its summary and judges its expectations
  /// (shared with `devsim replay`). Paced runs go on the control thread.
  static func perform(
    _ loaded: LoadedProfile, seed: UInt64, pacing: Pacing, output: RunOutput,
    realTime: RealTimeRequest = RealTimeRequest(), console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    return try report(loaded, seed: seed, output: output, console: console) {
      sink throws(CommandError) in
      guard case .factor(let speed) = pacing else {
        return try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: NeverStop())
      }
      let stop = SignalStop.install()
      var (outcome, policy) = try ControlThread.run(realTime, console: console) {
        () throws(CommandError) in
        try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: stop)
      }
      outcome.realTimePolicy = policy
      outcome.clockSpeed = speed
      return outcome
    }
  }

  /// Runs the profile's loop against a rig; a lost device is an I/O failure (74).
  static func performOnRig(
    _ loaded: LoadedProfile, device: String, speed: Double, output: RunOutput,
    realTime: RealTimeRequest, console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    var lost = false
    return try report(loaded, seed: profile.seed, output: output, console: console) {
      sink throws(CommandError) in
      let stop = SignalStop.install()
      let ((result, wentAway), policy) = try ControlThread.run(realTime, console: console) {
        () throws(CommandError) in
        try RigRun.run(profile, device: device, speed: speed, sink: &sink, stop: stop)
      }
      lost = wentAway
      var outcome = result
      outcome.realTimePolicy = policy
      outcome.clockSpeed = speed
      return outcome
    } afterSummary: { outcome throws(CommandError) in
      guard lost else { return }
      let trip =
        outcome.trip.map {
          " after a \($0.check.name) trip at \(Summary.clock($0.detectedNanoseconds))"
        } ?? ""
      throw CommandError(
        code: .ioError, message: "the rig on \(device) went away; the loop stopped safe\(trip)")
    }
  }

  /// Runs the profile's loop against a Linux board; outputs that could not
  /// be confirmed off at the end are an I/O failure (74).
  static func performOnBoard(
    _ loaded: LoadedProfile, boardPath: String, root: String, output: RunOutput,
    realTime: RealTimeRequest, console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let board = try BoardDecoder.load(boardPath)
    var faults: (close: FaultKind?, keepAlive: FaultKind?) = (nil, nil)
    return try report(loaded, seed: profile.seed, output: output, console: console) {
      sink throws(CommandError) in
      let stop = SignalStop.install()
      let ((result, closeFault, keepAliveFault), policy) = try ControlThread.run(
        realTime, console: console
      ) { () throws(CommandError) in
        try BoardRun.run(
          profile, board: board, io: PosixBoardIO(root: root), sink: &sink, stop: stop,
          warn: { console.writeError($0) })
      }
      faults = (closeFault, keepAliveFault)
      var outcome = result
      outcome.realTimePolicy = policy
      return outcome
    } afterSummary: { _ throws(CommandError) in
      if let fault = faults.keepAlive {
        console.writeError("Warning: the watchdog or heartbeat failed (\(fault.name))\n")
      }
      if let fault = faults.close {
        throw CommandError(
          code: .ioError,
          message:
            "\(boardPath): the power stage could not be confirmed off (\(fault.name)); the watchdog, if any, was left armed"
        )
      }
    }
  }

  /// Everything around one run: the telemetry and plot files are opened
  /// before it (a path that cannot be written fails at once, 74), the run
  /// feeds both, then the summary and the verdict. `afterSummary` raises the
  /// backend's own failures (a rig that went away, outputs not confirmed off).
  private static func report(
    _ loaded: LoadedProfile, seed: UInt64, output: RunOutput, console: Console,
    run body: (inout RunSeriesRecorder<TelemetryOutput>) throws(CommandError) -> RunOutcome,
    afterSummary: (RunOutcome) throws(CommandError) -> Void = { _ throws(CommandError) in }
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    let telemetryFile = try output.telemetry.map { path throws(CommandError) in
      try AtomicFile(path: path)
    }
    let plotFile = try output.plot.map { path throws(CommandError) in try AtomicFile(path: path) }
    let writer = telemetryFile.map {
      TelemetryWriter(format: output.format, provenance: provenance, profile: profile, file: $0)
    }
    var recorder = RunSeriesRecorder(
      profile: profile, provenance: provenance.line, next: TelemetryOutput(writer: writer),
      recording: plotFile != nil)
    let outcome = try body(&recorder)
    // A file that cannot be finished is reported after the backend's own
    // failures: an output not confirmed off must never hide behind it.
    var fileError: CommandError? = nil
    do throws(CommandError) {
      try recorder.next.writer?.finish()
      if let plotFile {
        recorder.describeTrips(outcome, profile: profile)
        plotFile.append(Array(RunPlot.svg(recorder.series).utf8))
        try plotFile.commit()
      }
    } catch {
      fileError = error
    }
    var failures = ExpectationCheck.failures(profile, outcome)
    if outcome.end == .stopped { failures.append("stopped by a signal before the end") }
    let summary = Summary.render(
      profile: profile, path: loaded.path, sha256: loaded.sha256, seed: seed, outcome: outcome,
      failures: failures)
    if !output.quiet { console.write(summary) }
    do throws(CommandError) {
      try afterSummary(outcome)
    } catch {
      if let fileError { console.writeError("Error: \(fileError.message)\n") }
      throw error
    }
    if let fileError { throw fileError }
    if output.quiet && !failures.isEmpty {
      console.write("\(loaded.path): FAIL\n" + failures.map { "  - \($0)\n" }.joined())
    }
    return failures.isEmpty ? .success : .checkFailed
  }

  static func parsePacing(_ text: String?) throws(CommandError) -> Pacing {
    switch text {
    case nil, "max": return .maximum
    case "realtime": return .factor(1)
    case let value?:
      guard let factor = Double(value), factor.isFinite, factor >= 0.01, factor <= 1e6 else {
        throw CommandError(
          code: .usage,
          message: "--speed takes max, realtime or a factor 0.01 … 1000000, found '\(value)'",
          showUsage: true)
      }
      return .factor(factor)
    }
  }

  static func parseFormat(_ text: String?, out: String?) throws(CommandError) -> TelemetryFormat {
    if let text {
      guard let format = TelemetryFormat(rawValue: text) else {
        throw CommandError(
          code: .usage, message: "--format takes csv or jsonl, found '\(text)'", showUsage: true)
      }
      return format
    }
    return out.map { $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") } == true ? .jsonl : .csv
  }
}

/// Where a run's results go: telemetry file and format, plot file, and
/// whether the summary is printed.
struct RunOutput {
  var telemetry: String?
  var format: TelemetryFormat
  var plot: String?
  var quiet: Bool
}

/// A run's telemetry: to its file when the run writes one, else nowhere.
struct TelemetryOutput: TelemetrySink {
  var writer: TelemetryWriter?

  mutating func consume(_ record: TelemetryRecord) { writer?.consume(record) }
}
