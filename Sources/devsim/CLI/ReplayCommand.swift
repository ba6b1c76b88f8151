import DevsimKit

/// `devsim replay`: a recorded trace fed, open loop, through a profile's
/// supervisor and controller: the trips and commands they would have produced.
enum ReplayCommand: DevsimCommand {
  static let profile = Option(
    "--profile", value: "profile",
    help: ["Whose sensors, supervisor, controller and expectations to use."], required: true,
    convert: OptionValue.text)
  static let out = CommonOptions.out.help(
    "Write the replay's telemetry (commands and trips) to <file>.")

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
        ])
    ],
    options: [profile.spec, out.spec, CommonOptions.format.spec, CommonOptions.quiet.spec],
    exitCodes: [
      (.success, "the expectations held"), (.checkFailed, "they did not"), (.usage, nil),
      (.dataError, "bad profile or trace"), (.noInput, nil),
      (.ioError, "the telemetry could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let out = try out.value(parsed)
    let format = try CommonOptions.telemetryFormat(parsed, out: out)
    guard let profilePath = try profile.value(parsed) else {
      throw UsageError("missing --profile <profile>")
    }
    try OutputPaths.requireDistinct(
      outputs: [("--out", out)],
      inputs: [("<trace>", parsed.positionals[0]), ("--profile", profilePath)])
    var loaded = try ProfileLoader.load(profilePath)
    loaded.profile.replayPath = parsed.positionals[0]
    return try RunCommand.perform(
      loaded, seed: loaded.profile.seed, pacing: .maximum,
      output: RunOutput(
        telemetry: out, format: format, plot: nil, quiet: CommonOptions.quiet.isSet(parsed)),
      console: console)
  }
}
