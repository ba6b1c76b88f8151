import ApplicatorHAL
import ApplicatorLinux
import DevsimKit
import Foundation
import ThermalLoop

/// `devsim run`: one profile on the simulator, a recorded trace, a rig or a board.
enum RunCommand: DevsimCommand {
  static let plot = Option(
    "--plot", value: "file.svg",
    help: ["Draw the run as a self-contained SVG (see 'devsim help plot')."],
    convert: OptionValue.text)
  static let rig = Option(
    "--rig", value: "device|rigfile",
    help: [
      "Run the loop in real time against a rig on a tty (/dev/ttyUSB0)",
      "or a TCP serial server (tcp://host:port) instead of the simulator.",
      "A path ending in .json, or any regular file, is a rig file instead:",
      "the off-the-shelf instrument it describes (docs/instruments.md);",
      "anything else (a tty, tcp://) is a device speaking devsim's dialect.",
    ], convert: OptionValue.rigDevice)
  static let port = RigCommand.port.help(
    "With a rig file: the instrument's port instead of the file's",
    "(a tty or tcp://host:port).")
  static let rigChannels = Option(
    "--rig-channels", value: "map",
    help: [
      "With --rig: sensor name to rig channel, NAME=N,… (for a rig",
      "without the handshake; one with it must agree).",
    ], convert: OptionValue.rigChannels)
  static let board = Option(
    "--board", value: "file",
    help: [
      "Run the loop in real time against a Linux board's sysfs sensors,",
      "PWM channels and GPIO lines, as the board file maps them",
      "(docs/boards.md).",
    ], convert: OptionValue.text)
  static let seed = CommonOptions.seed.help(
    "The simulator's noise seed (default: the profile's \"seed\").",
    "Refused with --rig and --board: real hardware has no seeded noise.")
  static let speed = CommonOptions.speed.help(
    "max (virtual time, default), realtime, or a factor N (N× real time).",
    "With --rig, the factor the rig's clock runs at; with --board only",
    "realtime (a board's sensors and drivers run at their own pace).")
  static let sysfsRoot = CommonOptions.sysfsRoot.help(
    "With --board: resolve /sys and /dev paths under <dir> (tests).")
  static let out = CommonOptions.out.help("Write telemetry to <file>, whole or not at all.")
  static let json = Option(
    "--json", value: "file",
    help: [
      "Write the run's summary as JSON (schema devsim-run-summary/1,",
      "README \"JSON summary of a run\"), whole or not at all.",
    ], convert: OptionValue.text)

  static let spec = CommandSpec(
    name: "run",
    abstract:
      "Run a profile's treatment on the simulator, or in real time on a rig or a board.",
    arguments: [ArgumentSpec(name: "profile", help: ["The profile (JSON) to run."])],
    options: [
      seed.spec, out.spec, CommonOptions.format.spec, plot.spec, json.spec,
      speed.spec, rig.spec, port.spec, rigChannels.spec, board.spec, sysfsRoot.spec,
    ] + CommonOptions.realTime + [CommonOptions.quiet.spec],
    exitCodes: [
      (.success, "passed"), (.checkFailed, "an expectation failed or an unexpected trip"),
      (
        .usage,
        "bad usage, and options a real-time run cannot honour: --seed with --rig or --board, --speed other than realtime with --board"
      ),
      (
        .dataError, "bad profile or board file, or a rig whose handshake does not match the profile"
      ),
      (.noInput, nil),
      (
        .ioError,
        "I/O failure: an output file, a rig that could not be opened or went away, a board device missing or failed, a board whose outputs could not be confirmed off"
      ),
      (
        .interrupted,
        "stopped by SIGINT (129 SIGHUP, 131 SIGQUIT, 143 SIGTERM), safe state confirmed"
      ),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let pacing = try speed.value(parsed) ?? .maximum
    let out = try self.out.value(parsed)
    let output = RunOutput(
      telemetry: out, format: try CommonOptions.telemetryFormat(parsed, out: out),
      plot: try plot.value(parsed), quiet: CommonOptions.quiet.isSet(parsed),
      json: try json.value(parsed))
    let realTime = try CommonOptions.realTimeRequest(parsed)
    let rig = try self.rig.value(parsed)
    let map = try rigChannels.value(parsed)
    if map != nil && rig == nil { throw UsageError("--rig-channels applies to --rig only") }
    let board = try self.board.value(parsed)
    let root = try sysfsRoot.value(parsed)
    if pacing == .maximum && rig == nil && board == nil
      && (realTime.priority != nil || realTime.lockMemory)
    {
      throw UsageError(
        "--rt-priority and --lock-memory apply to wall-clock runs (--rig, --board, or --speed realtime or a factor)"
      )
    }
    if root != nil && board == nil { throw UsageError("--sysfs-root applies to --board only") }
    try OutputPaths.requireDistinct(
      outputs: [("--out", output.telemetry), ("--plot", output.plot)],
      inputs: [
        ("<profile>", parsed.positionals[0]), ("--board", board),
        ("--rig", rig.flatMap { isRigFile($0) ? $0 : nil }),
      ])
    if board != nil && rig != nil { throw UsageError("--board and --rig cannot be used together") }
    try refuseUnhonoured(parsed, pacing: pacing, rig: rig != nil, board: board != nil)

    let loaded = try ProfileLoader.load(parsed.positionals[0])
    if let board {
      return try performOnBoard(
        loaded, boardPath: board, root: root ?? "/", output: output, realTime: realTime,
        console: console)
    }
    let instrumentPort = try port.value(parsed)
    if instrumentPort != nil && !(rig.map(isRigFile) ?? false) {
      throw UsageError("--port applies to --rig with a rig file")
    }
    if let rig, isRigFile(rig) {
      if map != nil {
        throw UsageError("--rig-channels applies to a rig device; a rig file maps its channels")
      }
      if parsed.text(speed.spec.long) != nil, pacing != .factor(1) {
        throw UsageError("--speed cannot apply to a rig file: an instrument runs in real time")
      }
      return try performOnInstrument(
        loaded, rigPath: rig, port: instrumentPort, output: output, realTime: realTime,
        console: console)
    }
    if let rig {
      var speed = 1.0
      if case .factor(let factor) = pacing { speed = factor }
      return try performOnRig(
        loaded, device: rig, map: map, speed: speed, output: output, realTime: realTime,
        console: console)
    }
    return try perform(
      loaded, seed: try seed.value(parsed) ?? loaded.profile.seed, pacing: pacing,
      output: output, realTime: realTime, console: console)
  }

  /// Refuses an option a wall-clock run would silently ignore: `--seed`
  /// on a rig or a board (no simulated noise), and on a board any `--speed`
  /// but real time (the hardware keeps its own pace).
  static func refuseUnhonoured(_ parsed: ParsedArguments, pacing: Pacing, rig: Bool, board: Bool)
    throws(UsageError)
  {
    if rig || board, try CommonOptions.seed.value(parsed) != nil {
      throw UsageError(
        "--seed applies to simulated runs only: \(board ? "--board" : "--rig") reads real sensors, with no seeded noise"
      )
    }
    if board, parsed.text(speed.spec.long) != nil, pacing != .factor(1) {
      throw UsageError(
        "--speed \(parsed.text(speed.spec.long) ?? "") cannot apply to --board: a board runs in real time (leave --speed out, or give realtime)"
      )
    }
  }

  /// Runs a loaded scenario on the simulator (or a recorded trace), writes
  /// its telemetry and plot, prints its summary and judges its expectations
  /// (shared with `devsim replay`). Paced runs go on the control thread.
  static func perform(
    _ loaded: LoadedProfile, seed: UInt64, pacing: Pacing, output: RunOutput,
    realTime: RealTimeRequest = RealTimeRequest(), console: Console
  ) throws -> ExitCode {
    let profile = loaded.profile
    return try report(loaded, seed: seed, output: output, console: console) {
      sink throws(KitError) in
      guard case .factor(let speed) = pacing else {
        return try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: NeverStop())
      }
      let stop = SignalStop.install()
      var (outcome, policy) = try TelemetryHandOff.draining(into: &sink) {
        (feed) throws(KitError) in
        try ControlThread.run(realTime, console: console) { () throws(KitError) in
          try Scenario.run(profile, seed: seed, pacing: pacing, sink: &feed, stop: stop)
        }
      }
      outcome.realTimePolicy = policy
      outcome.clockSpeed = speed
      return outcome
    }
  }

  /// Runs the profile's loop against a rig; a lost device is an I/O failure (74).
  static func performOnRig(
    _ loaded: LoadedProfile, device: String, map: [String: Int]?, speed: Double,
    output: RunOutput, realTime: RealTimeRequest, console: Console
  ) throws -> ExitCode {
    let profile = loaded.profile
    var ending = RigRun.RigEnding(
      lost: false, leaseExpiries: 0, leaseWallSeconds: 0, verified: true)
    return try report(loaded, seed: profile.seed, output: output, console: console) {
      sink throws(KitError) in
      let stop = SignalStop.install()
      let ((result, end), policy) = try TelemetryHandOff.draining(into: &sink) {
        (feed) throws(KitError) in
        try ControlThread.run(realTime, console: console) { () throws(KitError) in
          try RigRun.run(
            profile, device: device, speed: speed, map: map, sink: &feed, stop: stop)
        }
      }
      ending = end
      var outcome = result
      outcome.realTimePolicy = policy
      outcome.clockSpeed = speed
      return outcome
    } afterSummary: { outcome throws(DeviceError) in
      if !output.quiet {
        console.write(ending.summaryLine)
      } else if ending.leaseExpiries > 0 {
        console.writeError("Warning: " + ending.summaryLine.dropFirst("rig    ".count))
      }
      guard ending.lost else { return }
      let trip =
        outcome.trip.map {
          " after \(IndefiniteArticle.before("\($0.check.name)")) trip at "
            + Summary.clock($0.detectedNanoseconds)
        } ?? ""
      throw DeviceError(ending.lostMessage(device: device, trip: trip))
    }
  }

  /// Whether `--rig`'s value is a rig file: a path ending in `.json`, or a regular file
  /// (a tty is a character device, `tcp://` no file at all).
  static func isRigFile(_ value: String) -> Bool {
    if value.hasPrefix("tcp://") { return false }
    if value.hasSuffix(".json") { return true }
    var status = stat()
    return stat(value, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
  }

  /// Runs the profile's loop against the instrument a rig file describes; a lost
  /// instrument is an I/O failure (74), naming what cuts its output instead.
  static func performOnInstrument(
    _ loaded: LoadedProfile, rigPath: String, port: String?, output: RunOutput,
    realTime: RealTimeRequest, console: Console
  ) throws -> ExitCode {
    let profile = loaded.profile
    var described = try RigFileDecoder.load(rigPath)
    if let port { described.port = port }
    let rig = described
    let settings = try MeComRun.settings(rig, for: profile)
    var lost = false
    var closeFault: FaultKind? = nil
    return try report(loaded, seed: profile.seed, output: output, console: console) {
      sink throws(KitError) in
      let stop = SignalStop.install()
      let ((result, wasLost, fault), policy) = try TelemetryHandOff.draining(into: &sink) {
        (feed) throws(KitError) in
        try ControlThread.run(realTime, console: console) { () throws(KitError) in
          try MeComRun.run(profile, rig: rig, sink: &feed, stop: stop)
        }
      }
      lost = wasLost
      closeFault = fault
      var outcome = result
      outcome.realTimePolicy = policy
      return outcome
    } afterSummary: { outcome throws(DeviceError) in
      if !output.quiet {
        console.write("rig    output cut when the host dies: \(MeComRun.cutOffText(settings))\n")
        console.write(
          "rig    no interlock input: contact and coolant flow must cut the TEC supply in hardware\n"
        )
      }
      if !lost, let closeFault {
        throw DeviceError(
          "the instrument on \(rig.port) could not be confirmed off at the end of the run (\(closeFault.name)): "
            + MeComRun.cutOffText(settings))
      }
      guard lost else { return }
      let trip =
        outcome.trip.map {
          " after \(IndefiniteArticle.before("\($0.check.name)")) trip at "
            + Summary.clock($0.detectedNanoseconds)
        } ?? ""
      throw DeviceError(
        "the instrument on \(rig.port) went away\(trip); the safe state could not be sent to it: "
          + MeComRun.cutOffText(settings) + " (not confirmed by this host)")
    }
  }

  /// Runs the profile's loop against a Linux board; outputs that could not
  /// be confirmed off at the end are an I/O failure (74).
  static func performOnBoard(
    _ loaded: LoadedProfile, boardPath: String, root: String, output: RunOutput,
    realTime: RealTimeRequest, console: Console
  ) throws -> ExitCode {
    let profile = loaded.profile
    let board = try BoardDecoder.load(boardPath)
    var faults: (close: FaultKind?, keepAlive: FaultKind?) = (nil, nil)
    return try report(loaded, seed: profile.seed, output: output, console: console) {
      sink throws(KitError) in
      let stop = SignalStop.install()
      let ((result, closeFault, keepAliveFault), policy) = try TelemetryHandOff.draining(
        into: &sink
      ) { (feed) throws(KitError) in
        try ControlThread.run(realTime, console: console) { () throws(KitError) in
          try BoardRun.run(
            profile, board: board, io: PosixBoardIO(root: root), sink: &feed, stop: stop,
            warn: { console.writeError($0) })
        }
      }
      faults = (closeFault, keepAliveFault)
      var outcome = result
      outcome.realTimePolicy = policy
      return outcome
    } afterSummary: { _ throws(DeviceError) in
      if let fault = faults.keepAlive {
        console.writeError("Warning: the watchdog or heartbeat failed (\(fault.name))\n")
      }
      if let fault = faults.close {
        throw DeviceError(
          "\(boardPath): the power stage could not be confirmed off (\(fault.name)); the watchdog, if any, was left armed"
        )
      }
    }
  }

  /// Everything around one run: the telemetry and plot files are opened
  /// before it (a path that cannot be written fails at once, 74), the run
  /// feeds both, then the summary and the verdict. `afterSummary` raises the
  /// backend's own failures (a rig that went away, outputs not confirmed off).
  static func report(
    _ loaded: LoadedProfile, seed: UInt64, output: RunOutput, console: Console,
    run body: (inout RunSeriesRecorder<TelemetryOutput>) throws(KitError) -> RunOutcome,
    afterSummary: (RunOutcome) throws(DeviceError) -> Void = { _ throws(DeviceError) in }
  ) throws -> ExitCode {
    let profile = loaded.profile
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    let telemetryFile = try output.telemetry.map { path throws(OutputFileError) in
      try AtomicFile(path: path)
    }
    let plotFile = try output.plot.map { path throws(OutputFileError) in
      try AtomicFile(path: path)
    }
    let jsonFile = try output.json.map { path throws(OutputFileError) in
      try AtomicFile(path: path)
    }
    let writer = telemetryFile.map {
      TelemetryWriter(format: output.format, provenance: provenance, profile: profile, file: $0)
    }
    var recorder = RunSeriesRecorder(
      profile: profile, provenance: provenance.line, next: TelemetryOutput(writer: writer),
      recording: plotFile != nil)
    let outcome = try body(&recorder)
    // A file that cannot be finished is reported after the backend's own
    // failures: an output not confirmed off must never hide behind it.
    var fileError: OutputFileError? = nil
    do throws(OutputFileError) {
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
    if let jsonFile, fileError == nil {
      jsonFile.append(
        Array(
          RunSummaryJSON.render(
            profile: profile, path: loaded.path, sha256: loaded.sha256, seed: seed,
            outcome: outcome, failures: failures
          ).utf8))
      do throws(OutputFileError) {
        try jsonFile.commit()
      } catch {
        fileError = error
      }
    }
    let summary = Summary.render(
      profile: profile, path: loaded.path, sha256: loaded.sha256, seed: seed, outcome: outcome,
      failures: failures)
    if !output.quiet { console.write(summary) }
    do throws(DeviceError) {
      try afterSummary(outcome)
    } catch {
      if let fileError { console.writeError("Error: \(fileError)\n") }
      throw error
    }
    if let fileError { throw fileError }
    if output.quiet && !failures.isEmpty {
      console.write("\(loaded.path): FAIL\n" + failures.map { "  - \($0)\n" }.joined())
    }
    // A signal stop is reported once the safe state is confirmed (above,
    // a device or output not confirmed off has already ended with 74).
    if outcome.end == .stopped { return .stopped(by: SignalStop.lastSignal() ?? SIGTERM) }
    return failures.isEmpty ? .success : .checkFailed
  }
}

/// Where a run's results go: telemetry file and format, plot file, and
/// whether the summary is printed.
struct RunOutput {
  var telemetry: String?
  var format: TelemetryFormat
  var plot: String?
  var quiet: Bool
  /// The JSON summary's file (`--json`).
  var json: String? = nil
}

/// A run's telemetry: to its file when the run writes one, else nowhere.
struct TelemetryOutput: TelemetrySink {
  var writer: TelemetryWriter?

  mutating func consume(_ record: TelemetryRecord) { writer?.consume(record) }
}
