import ThermalLoop

/// `devsim run`: one profile on the simulator, a recorded trace, or a rig.
enum RunCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--seed", "--out", "--format", "--speed", "--rig", "--plot"],
      flags: ["--quiet", "--help"],
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
    let plot = parsed.option("--plot")

    let loaded = try ProfileLoader.load(parsed.positionals[0])
    if let device = parsed.option("--rig") {
      var speed = 1.0
      if case .factor(let factor) = pacing { speed = factor }
      return try performOnRig(
        loaded, device: device, speed: speed, out: out, format: format, plot: plot, quiet: quiet,
        console: console)
    }
    return try perform(
      loaded, seed: seedOverride ?? loaded.profile.seed, pacing: pacing, out: out, format: format,
      plot: plot, quiet: quiet, console: console)
  }

  /// Runs a loaded scenario, writes its telemetry (and its plot), prints its
  /// summary and judges its expectations (shared with `devsim replay`).
  static func perform(
    _ loaded: LoadedProfile, seed: UInt64, pacing: Pacing, out: String?, format: TelemetryFormat,
    plot: String? = nil, quiet: Bool, console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    // Both output files are opened before the run, so a path that cannot be
    // written fails at once (74), not after the run.
    let plotFile = try plot.map { path throws(CommandError) in try AtomicFile(path: path) }
    let stop = pacing == .maximum ? nil : SignalStop.install()
    let outcome: RunOutcome
    if let out {
      let file = try AtomicFile(path: out)
      var writer = TelemetryWriter(
        format: format, provenance: provenance, profile: profile, file: file)
      outcome = try plotting(plotFile, loaded, provenance, sink: &writer) {
        sink throws(CommandError) in
        try run(profile, seed: seed, pacing: pacing, sink: &sink, stop: stop)
      }
      try writer.finish()
    } else {
      var sink = DiscardingSink()
      outcome = try plotting(plotFile, loaded, provenance, sink: &sink) {
        sink throws(CommandError) in
        try run(profile, seed: seed, pacing: pacing, sink: &sink, stop: stop)
      }
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
    format: TelemetryFormat, plot: String? = nil, quiet: Bool, console: Console
  ) throws(CommandError) -> ExitCode {
    let profile = loaded.profile
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: profile.seed, profilePath: loaded.path,
      profileSHA256: loaded.sha256)
    let stop = SignalStop.install()
    let file = try out.map { path throws(CommandError) in try AtomicFile(path: path) }
    let plotFile = try plot.map { path throws(CommandError) in try AtomicFile(path: path) }
    var writer = TelemetryWriter(
      format: format, provenance: provenance, profile: profile, file: file)
    var lost = false
    let outcome = try plotting(plotFile, loaded, provenance, sink: &writer) {
      sink throws(CommandError) in
      let (outcome, wentAway) = try RigRun.run(
        profile, device: device, speed: speed, sink: &sink, stop: stop)
      lost = wentAway
      return outcome
    }
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

  /// Runs `body` with `sink`, or, given a plot file, with a recorder in
  /// front of it, and then draws the run into that file.
  private static func plotting<Sink: TelemetrySink>(
    _ plot: AtomicFile?, _ loaded: LoadedProfile, _ provenance: TelemetryProvenance,
    sink: inout Sink,
    _ body: (inout RunSeriesRecorder<Sink>) throws(CommandError) -> RunOutcome
  ) throws(CommandError) -> RunOutcome {
    var recorder = RunSeriesRecorder(
      profile: loaded.profile, provenance: provenance.line, next: sink, recording: plot != nil)
    let outcome = try body(&recorder)
    sink = recorder.next
    if let plot {
      recorder.describeTrips(outcome, profile: loaded.profile)
      plot.append(Array(RunPlot.svg(recorder.series).utf8))
      try plot.commit()
    }
    return outcome
  }

  private static func run<Sink: TelemetrySink>(
    _ profile: Profile, seed: UInt64, pacing: Pacing, sink: inout Sink, stop: SignalStop?
  ) throws(CommandError) -> RunOutcome {
    if let stop {
      return try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: stop)
    }
    return try Scenario.run(profile, seed: seed, pacing: pacing, sink: &sink, stop: NeverStop())
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
