import ApplicatorLinux
import DevsimKit
import Foundation
import ThermalLoop

/// `devsim tune`: a relay or step experiment around a profile's setpoint,
/// gains by a stated rule, optionally written into a copy of the profile.
enum TuneCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments,
      options: [
        "--method", "--rule", "--write", "--seed", "--step", "--hysteresis", "--band", "--max-time",
        "--rig", "--speed",
      ],
      flags: ["--model", "--help"], aliases: ["-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.tune)
      return .success
    }
    guard parsed.positionals.count == 1 else {
      throw usage(
        parsed.positionals.isEmpty
          ? "missing <profile>" : "tune takes one profile, found \(parsed.positionals.count)")
    }
    var settings = TuneSettings()
    if let text = parsed.option("--method") {
      guard let method = TuneMethod(rawValue: text) else {
        throw usage("--method takes relay or step, found '\(text)'")
      }
      settings.method = method
    }
    var rule = TuningRule.simc
    if let text = parsed.option("--rule") {
      guard let chosen = TuningRule(rawValue: text) else {
        throw usage("--rule takes simc, ziegler-nichols or no-overshoot, found '\(text)'")
      }
      rule = chosen
    }
    // A relay needs a larger swing than a step to cycle against the noise.
    if settings.method == .relay { settings.commandStep = 0.1 }
    if let value = try number(parsed, "--step", in: 0.001...1) { settings.commandStep = value }
    if let value = try number(parsed, "--hysteresis", in: 0...10) {
      settings.hysteresisCelsius = value
    }
    if let value = try number(parsed, "--band", in: 0.1...50) { settings.bandCelsius = value }
    if let value = try number(parsed, "--max-time", in: 1...86_400) {
      settings.maximumSeconds = value
    }
    var seed: UInt64? = nil
    if let text = parsed.option("--seed") {
      guard let value = UInt64(text) else {
        throw usage("--seed needs a whole number ≥ 0, found '\(text)'")
      }
      seed = value
    }
    let writeModel = parsed.flag("--model")
    if writeModel && settings.method != .step {
      throw usage("--model needs --method step (the model comes from the step fit)")
    }
    let pacing = try RunCommand.parsePacing(parsed.option("--speed"))
    let loaded = try ProfileLoader.load(parsed.positionals[0])
    let profile = loaded.profile
    guard profile.isClosedLoop, profile.replayPath == nil else {
      throw CommandError(
        code: .dataError, message: "\(loaded.path): tuning needs a closed-loop simulated profile")
    }

    let result: TuneResult
    do throws(TuneAbort) {
      if let device = parsed.option("--rig") {
        var speed = 1.0
        if case .factor(let factor) = pacing { speed = factor }
        result = try onRig(profile, device: device, speed: speed, settings: settings)
      } else {
        result = try Tuning.simulate(profile, settings: settings, seed: seed ?? profile.seed)
      }
    } catch {
      console.writeError("Error: tuning aborted, output in its safe state: \(error.message)\n")
      return .checkFailed
    }
    guard let outcome = Tuning.outcome(result, rule: rule, profile: profile) else {
      console.writeError(
        "Error: the rule \(rule.rawValue) has nothing to go on "
          + (result.heating == nil
            ? "(no FOPDT fits the relay cycle; use an ultimate-cycle rule or --method step)\n"
            : "(no dead time)\n"))
      return .checkFailed
    }
    console.write(TuneReport.render(outcome, profile: profile, path: loaded.path))
    if let out = parsed.option("--write") {
      let settingsOut = writeModel ? outcome.model.map { ModelControlSettings(model: $0) } : nil
      let text = ControllerRewrite.controllerJSON(
        gains: outcome.gains, limits: profile.limits, model: settingsOut)
      guard let source = FileManager.default.contents(atPath: loaded.path),
        let bytes = ControllerRewrite.replacing(controller: text, in: [UInt8](source))
      else {
        throw CommandError(
          code: .dataError, message: "\(loaded.path): cannot rewrite its controller")
      }
      do {
        _ = try ProfileDecoder.decode(bytes, file: out)
      } catch {
        throw CommandError(code: .dataError, message: "the rewritten profile is invalid: \(error)")
      }
      try AtomicFile.write(bytes, to: out)
      console.write("wrote \(out)\n")
    }
    return .success
  }

  /// Runs the experiment in real time against a rig.
  private static func onRig(
    _ profile: Profile, device: String, speed: Double, settings: TuneSettings
  ) throws(TuneAbort) -> TuneResult {
    let applicator: RigApplicator
    do throws(CommandError) {
      applicator = try RigRun.connect(device, profile: profile)
    } catch {
      throw TuneAbort(message: error.message)
    }
    let link = applicator.link
    defer { link.close() }
    var session = TuneSession(
      profile: profile, applicator: applicator, clock: MonotonicClock(speed: speed),
      settings: settings)
    return try session.run()
  }

  private static func number(_ parsed: Arguments, _ name: String, in range: ClosedRange<Double>)
    throws(CommandError) -> Double?
  {
    guard let text = parsed.option(name) else { return nil }
    guard let value = Double(text), range.contains(value) else {
      throw usage(
        "\(name) takes a number \(format(range.lowerBound)) … \(format(range.upperBound)), found '\(text)'"
      )
    }
    return value
  }

  private static func usage(_ message: String) -> CommandError {
    CommandError(code: .usage, message: message, showUsage: true)
  }
}
