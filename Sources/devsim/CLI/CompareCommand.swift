import DevsimKit

/// `devsim compare`: the profile's gains, autotuned gains and the
/// model-based controller on the same seeded plant, side by side.
enum CompareCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--rule", "--seed"], flags: ["--help"], aliases: ["-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.compare)
      return .success
    }
    guard parsed.positionals.count == 1 else {
      throw CommandError(
        code: .usage,
        message: parsed.positionals.isEmpty
          ? "missing <profile>" : "compare takes one profile, found \(parsed.positionals.count)",
        showUsage: true)
    }
    var rule = TuningRule.simc
    if let text = parsed.option("--rule") {
      guard let chosen = TuningRule(rawValue: text) else {
        throw CommandError(
          code: .usage,
          message: "--rule takes simc, ziegler-nichols or no-overshoot, found '\(text)'",
          showUsage: true)
      }
      rule = chosen
    }
    let loaded = try ProfileLoader.load(parsed.positionals[0])
    let profile = loaded.profile
    var seed = profile.seed
    if let text = parsed.option("--seed") {
      guard let value = UInt64(text) else {
        throw CommandError(
          code: .usage, message: "--seed needs a whole number ≥ 0, found '\(text)'",
          showUsage: true)
      }
      seed = value
    }
    guard profile.isClosedLoop, profile.replayPath == nil else {
      throw CommandError(
        code: .dataError, message: "\(loaded.path): comparing needs a closed-loop simulated profile"
      )
    }
    let result: TuneResult
    do throws(TuneAbort) {
      result = try Tuning.simulate(profile, settings: TuneSettings(), seed: seed)
    } catch {
      console.writeError("Error: tuning aborted, output in its safe state: \(error.message)\n")
      return .checkFailed
    }
    guard let tuning = Tuning.outcome(result, rule: rule, profile: profile) else {
      console.writeError("Error: the rule \(rule.rawValue) has nothing to go on\n")
      return .checkFailed
    }
    let rows = Comparison.run(profile, tuning: tuning, seed: seed)
    var text = "devsim \(Version.string): compare \(profile.name) (\(loaded.path)), seed \(seed)\n"
    text +=
      "step test: \(DecimalText.string(result.seconds, decimals: 0)) s; rule \(rule.rawValue): \(rule.statement)\n"
    for row in rows {
      text += "  \(row.name): \(TuneReport.describe(row.gains))\n"
    }
    if let m = tuning.model {
      text +=
        "  model: K \(ControllerRewrite.number(m.gainCelsiusPerCommand)) °C/command, τ \(ControllerRewrite.number(m.timeConstantSeconds)) s, θ \(ControllerRewrite.number(m.deadTimeSeconds)) s, zero-command \(ControllerRewrite.number(m.zeroCommandCelsius)) °C\n"
    }
    text += "figures for the first treatment phase, after first entry where it says so:\n"
    text += Comparison.table(rows, window: profile.window)
    console.write(text)
    return .success
  }
}
