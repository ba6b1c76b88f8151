import DevsimKit

/// `devsim compare`: the profile's gains, autotuned gains and the
/// model-based controller on the same seeded plant, side by side.
enum CompareCommand: DevsimCommand {
  static let spec = CommandSpec(
    name: "compare",
    abstract: "Hand-tuned, autotuned and model-based control on the same seeded plant.",
    discussion: """
      Runs a step test on the profile's plant (as devsim tune --method step), then the
      profile's treatment three times with the same seed: the profile's own gains, the
      autotuned gains by the rule, and the model-based controller (the fitted model's
      feedforward and planned approach, the autotuned PID trimming). Prints, per
      controller, time in window after first entry, settling, overshoot, IAE, actuator
      effort (mean |command|) and trips.
      """,
    arguments: [ArgumentSpec(name: "profile", help: ["The profile (JSON) to compare on."])],
    options: [
      TuneCommand.rule.spec,
      CommonOptions.seed.help("The simulator's noise seed (default: the profile's).").spec,
    ],
    exitCodes: [
      (.success, "compared"), (.checkFailed, "tuning aborted"), (.usage, nil),
      (.dataError, "bad profile"), (.noInput, nil),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let rule = try TuneCommand.rule.value(parsed) ?? .simc
    let loaded = try ProfileLoader.load(parsed.positionals[0])
    let profile = loaded.profile
    let seed = try CommonOptions.seed.value(parsed) ?? profile.seed
    guard profile.isClosedLoop, profile.replayPath == nil else {
      throw DataError("\(loaded.path): comparing needs a closed-loop simulated profile")
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
