import ApplicatorHAL
import ThermalLoop

/// `devsim run`: one profile on the simulator, a recorded trace, or a rig.
enum RunCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments,
      options: [
        "--seed", "--out", "--format", "--speed", "--rig", "--board", "--sysfs-root",
        "--rt-priority",
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
    let format = try parseFormat(parsed.option("--format"), out: out)
    let quiet = parsed.flag("--quiet")
    let realTime = try ControlThread.request(parsed)
    if pacing == .maximum && parsed.option("--rig") == nil && parsed.option("--board") == nil
      && (realTime.priority != nil || realTime.lockMemory)
    {
      throw CommandError(
        code: .usage,
        message:
          "--rt-priority and --lock-memory apply to wall-clock runs (--rig, --board, or --speed realtime or a factor)",
        showUsage: true)
    }

    if parsed.option("--sysfs-root") != nil && parsed.option("--board") == nil {
      throw CommandError(
        code: .usage, message: "--sysfs-root applies to --board only", showUsage: true)
    }
    if parsed.option("--board") != nil && parsed.option("--rig") != nil {
      throw CommandError(
        code: .usage, message: "--board and --rig cannot be used together", showUsage: true)
    }
    let loaded = try ProfileLoader.load(parsed.positionals[0])
    if let boardPath = parsed.option("--board") {
      return try performOnBoard(
        loaded, boardPath: boardPath, root: parsed.option("--sysfs-root") ?? "/", out: out,
        format: format, quiet: quiet, realTime: realTime, console: console)
    }
    if let device = parsed.option("--rig") {
      var speed = 1.0
      if case .factor(let factor) = pacing { speed = factor }
      return try performOnRig(
        loaded, device: device, speed: speed, out: out, format: format, quiet: quiet,
        realTime: realTime, console: console)
    }
    return try perform(
      loaded, seed: seedOverride ?? loaded.profile.seed, pacing: pacing, out: out, format: format,
      quiet: quiet, realTime: realTime, console: console)
  }

  /// Runs a loaded scenario, writes its telemetry, prints its summary and
  /// judges its expectations (shared with `devsim replay`).
  static func perform(
    _ loaded: LoadedProfile, seed: UInt64, pacing: Pacing, out: String?, format: TelemetryFormat,
    quiet: Bool, realTime: RealTimeRequest = RealTimeRequest(), console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    let stop = pacing == .maximum ? nil : SignalStop.install()
    var outcome: RunOutcome
    if let out {
      let file = try AtomicFile(path: out)
      var writer = TelemetryWriter(
        format: format, provenance: provenance, profile: profile, file: file)
      outcome = try run(
        profile, seed: seed, pacing: pacing, realTime: realTime, sink: &writer, stop: stop,
        console: console)
      try writer.finish()
    } else {
      var sink = DiscardingSink()
      outcome = try run(
        profile, seed: seed, pacing: pacing, realTime: realTime, sink: &sink, stop: stop,
        console: console)
    }
    var failures = ExpectationCheck.failures(profile, outcome)
    if outcome.end == .stopped { failures.append("stopped by a signal before the end") }
    let summary = Summary.render(
      profile: profile, path: loaded.path, sha256: loaded.sha256, seed: seed, outcome: outcome,
      failures: failures)
    if !quiet {
      console.write(summary)
    } else if !failures.isEmpty {
      console.write("\(loaded.path): FAIL\n" + failures.map { "  - \($0)\n" }.joined())
    }
    return failures.isEmpty ? .success : .checkFailed
  }

  /// Runs the profile's loop against a rig; a lost device is an I/O failure (74).
  static func performOnRig(
    _ loaded: LoadedProfile, device: String, speed: Double, out: String?,
    format: TelemetryFormat, quiet: Bool, realTime: RealTimeRequest, console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: profile.seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    let stop = SignalStop.install()
    let file = try out.map { path throws(CommandError) in try AtomicFile(path: path) }
    var writer = TelemetryWriter(
      format: format, provenance: provenance, profile: profile, file: file)
    let ((result, lost), policy) = try ControlThread.run(realTime, console: console) {
      () throws(CommandError) in
      try RigRun.run(profile, device: device, speed: speed, sink: &writer, stop: stop)
    }
    var outcome = result
    outcome.realTimePolicy = policy
    outcome.clockSpeed = speed
    if file != nil { try writer.finish() }
    var failures = ExpectationCheck.failures(profile, outcome)
    if outcome.end == .stopped { failures.append("stopped by a signal before the end") }
    let summary = Summary.render(
      profile: profile, path: loaded.path, sha256: loaded.sha256, seed: profile.seed,
      outcome: outcome, failures: failures)
    if !quiet { console.write(summary) }
    if lost {
      let trip =
        outcome.trip.map {
          " after a \($0.check.name) trip at \(Summary.clock($0.detectedNanoseconds))"
        } ?? ""
      throw CommandError(
        code: .ioError, message: "the rig on \(device) went away; the loop stopped safe\(trip)")
    }
    if quiet && !failures.isEmpty {
      console.write("\(loaded.path): FAIL\n" + failures.map { "  - \($0)\n" }.joined())
    }
    return failures.isEmpty ? .success : .checkFailed
  }

  /// Runs the profile's loop against a Linux board; outputs that could not
  /// be confirmed off at the end are an I/O failure (74).
  static func performOnBoard(
    _ loaded: LoadedProfile, boardPath: String, root: String, out: String?,
    format: TelemetryFormat, quiet: Bool, realTime: RealTimeRequest, console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let board = try BoardDecoder.load(boardPath)
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: profile.seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    let stop = SignalStop.install()
    let file = try out.map { path throws(CommandError) in try AtomicFile(path: path) }
    var writer = TelemetryWriter(
      format: format, provenance: provenance, profile: profile, file: file)
    let ((result, closeFault, keepAliveFault), policy) = try ControlThread.run(
      realTime, console: console
    ) { () throws(CommandError) in
      try BoardRun.run(
        profile, board: board, io: PosixBoardIO(root: root), sink: &writer, stop: stop)
    }
    var outcome = result
    outcome.realTimePolicy = policy
    if file != nil { try writer.finish() }
    var failures = ExpectationCheck.failures(profile, outcome)
    if outcome.end == .stopped { failures.append("stopped by a signal before the end") }
    let summary = Summary.render(
      profile: profile, path: loaded.path, sha256: loaded.sha256, seed: profile.seed,
      outcome: outcome, failures: failures)
    if !quiet { console.write(summary) }
    if let keepAliveFault {
      console.writeError("Warning: the watchdog or heartbeat failed (\(keepAliveFault.name))\n")
    }
    if let closeFault {
      throw CommandError(
        code: .ioError,
        message:
          "\(boardPath): the power stage could not be confirmed off (\(closeFault.name)); the watchdog, if any, was left armed"
      )
    }
    if quiet && !failures.isEmpty {
      console.write("\(loaded.path): FAIL\n" + failures.map { "  - \($0)\n" }.joined())
    }
    return failures.isEmpty ? .success : .checkFailed
  }

  /// Runs on a virtual clock in this thread, or against the wall clock on
  /// the control thread under the requested policy.
  private static func run<Sink: TelemetrySink>(
    _ profile: Profile, seed: UInt64, pacing: Pacing, realTime: RealTimeRequest,
    sink: inout Sink, stop: SignalStop?, console: Console
  ) throws(CommandError) -> RunOutcome {
    guard let stop else {
      return try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: NeverStop())
    }
    var (outcome, policy) = try ControlThread.run(realTime, console: console) {
      () throws(CommandError) in
      try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: stop)
    }
    outcome.realTimePolicy = policy
    if case .factor(let speed) = pacing { outcome.clockSpeed = speed }
    return outcome
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
