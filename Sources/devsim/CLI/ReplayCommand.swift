import DevsimKit

/// `devsim replay`: a recorded trace fed, open loop, through a profile's
/// supervisor and controller: the trips and commands they would have produced.
enum ReplayCommand: DevsimCommand {
  static let profile = Option(
    "--profile", value: "profile",
    help: [
      "Whose sensors, supervisor, controller and expectations to use.",
      "Default: the profile devsim telemetry names in its '# devsim' line",
      "(refused if that file changed since the recording).",
    ],
    convert: OptionValue.text)
  static let out = CommonOptions.out.help(
    "Write the replay's telemetry (commands and trips) to <file>.")
  static let plot = RunCommand.plot.help(
    "Draw the replay as a self-contained SVG, as 'devsim run --plot' does.")

  static let spec = CommandSpec(
    name: "replay",
    abstract: "Feed a recorded trace through a profile's supervisor and controller.",
    arguments: [
      ArgumentSpec(
        name: "trace",
        help: [
          "A CSV trace: devsim's own telemetry, or the minimal form",
          "(time_s, <sensor>_degC per sensor, optional <sensor>_status,",
          "readback_fraction, contact_bool, coolant_bool).",
          "The controller starts at rest at the first row (zero integral).",
        ])
    ],
    options: [
      profile.spec, out.spec, CommonOptions.format.spec, plot.spec, CommonOptions.quiet.spec,
    ],
    exitCodes: [
      (.success, "the expectations held"), (.checkFailed, "they did not"),
      (.usage, "no --profile and no profile named in the trace's header"),
      (.dataError, "bad profile or trace, or the profile the header names changed since"),
      (.noInput, nil),
      (.ioError, "the telemetry or plot could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let out = try out.value(parsed)
    let plot = try plot.value(parsed)
    let format = try CommonOptions.telemetryFormat(parsed, out: out)
    let trace = parsed.positionals[0]
    let profilePath = try profile.value(parsed)
    try OutputPaths.requireDistinct(
      outputs: [("--out", out), ("--plot", plot)],
      inputs: [("<trace>", trace), ("--profile", profilePath)])
    var loaded: LoadedProfile
    if let profilePath {
      loaded = try ProfileLoader.load(profilePath)
    } else if let provenance = try TraceProvenance.read(trace) {
      try OutputPaths.requireDistinct(
        outputs: [("--out", out), ("--plot", plot)],
        inputs: [("the profile the trace's header names", provenance.profilePath)])
      loaded = try provenance.loadProfile(tracePath: trace)
    } else {
      throw UsageError(
        "\(trace) names no profile (no '# devsim ... profile=<path> profile_sha256=<hex>' line"
          + " before its header): give --profile <profile>")
    }
    loaded.profile.replayPath = trace
    return try RunCommand.perform(
      loaded, seed: loaded.profile.seed, pacing: .maximum,
      output: RunOutput(
        telemetry: out, format: format, plot: plot, quiet: CommonOptions.quiet.isSet(parsed)),
      console: console)
  }
}
