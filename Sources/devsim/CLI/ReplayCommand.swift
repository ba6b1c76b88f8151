import DevsimKit

/// `devsim replay`: a recorded trace fed, open loop, through a profile's
/// supervisor and controller: the trips and commands they would have produced.
enum ReplayCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--profile", "--out", "--format"], flags: ["--quiet", "--help"],
      aliases: ["-o": "--out", "-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.replay)
      return .success
    }
    guard parsed.positionals.count == 1 else {
      throw CommandError(
        code: .usage,
        message: parsed.positionals.isEmpty
          ? "missing <trace>" : "replay takes one trace, found \(parsed.positionals.count)",
        showUsage: true)
    }
    guard let profilePath = parsed.option("--profile") else {
      throw CommandError(code: .usage, message: "missing --profile <profile>", showUsage: true)
    }
    let out = parsed.option("--out")
    let format = try RunCommand.parseFormat(parsed.option("--format"), out: out)
    var loaded = try ProfileLoader.load(profilePath)
    loaded.profile.replayPath = parsed.positionals[0]
    return try RunCommand.perform(
      loaded, seed: loaded.profile.seed, pacing: .maximum,
      output: RunOutput(telemetry: out, format: format, plot: nil, quiet: parsed.flag("--quiet")),
      console: console)
  }
}
