import ApplicatorLinux
import DevsimKit
import Foundation
import ThermalLoop

/// `devsim tune`: a relay or step experiment around a profile's setpoint,
/// gains by a stated rule, optionally written into a copy of the profile.
enum TuneCommand: DevsimCommand {
  static let method = Option(
    "--method", value: "method", help: ["step (default) or relay."],
    convert: OptionValue.choice("--method", TuneMethod.self, "relay or step"))
  static let rule = Option(
    "--rule", value: "rule",
    help: [
      "simc (default with step), tyreus-luyben (default with relay),",
      "ziegler-nichols or no-overshoot.",
    ],
    convert: OptionValue.choice(
      "--rule", TuningRule.self, "simc, tyreus-luyben, ziegler-nichols or no-overshoot"))
  static let write = Option(
    "--write", value: "file",
    help: [
      "Write the profile with the new gains (everything else kept),", "whole or not at all.",
    ], convert: OptionValue.text)
  static let model = Flag(
    "--model",
    help: ["With --write (needed): write the model-based controller (step method)."])
  static let step = Option(
    "--step", value: "u",
    help: [
      "Step size (default 0.02) or relay amplitude (default 0.1), fraction", "of full scale.",
    ], convert: OptionValue.number("--step", in: 0.001...1))
  static let hysteresis = Option(
    "--hysteresis", value: "c", help: ["Relay hysteresis, °C (default 0.1)."],
    convert: OptionValue.number("--hysteresis", in: 0...10))
  static let band = Option(
    "--band", value: "c", help: ["Abort when the temperature leaves setpoint ± c (default 3)."],
    convert: OptionValue.number("--band", in: 0.1...50))
  static let maxTime = Option(
    "--max-time", value: "s", help: ["Abort after this much loop time, s (default 3600)."],
    convert: OptionValue.number("--max-time", in: 1...86_400))
  static let seed = CommonOptions.seed.help("The simulator's noise seed (default: the profile's).")
  static let rig = Option(
    "--rig", value: "device",
    help: ["Tune a rig on a tty or tcp://host:port in real time instead."],
    convert: OptionValue.rigDevice)
  static let speed = CommonOptions.speed.help(
    "With --rig: loop time per wall time (default realtime).")

  static let spec = CommandSpec(
    name: "tune",
    abstract: "Relay or step autotune around a profile's setpoint; gains by a stated rule.",
    discussion: """
      The profile's PID brings the plant to the first treatment setpoint and holds it; then
      the experiment runs through the same loop and supervisor as a treatment (window checks
      off, every always-on check on), with results per direction (heating, cooling):
        step    a step of +u, back to the hold, a step of -u; each response is fitted with a
                first-order-plus-dead-time model (two-point start, least squares).
        relay   Åström–Hägglund relay, hold ± u, switching at setpoint ± hysteresis; the exact
                FOPDT limit cycle gives K per direction and τ, θ. tyreus-luyben (the default
                with a relay) works on the cycle as measured: the describing-function Ku and
                Tu = the period. ziegler-nichols and no-overshoot use the exact ultimate gain
                of that FOPDT, or the cycle when no FOPDT fits it (the shipped plants).
      What was measured is printed before any failure; a step fit at its bound says so.
      """,
    arguments: [
      ArgumentSpec(
        name: "profile", help: ["The profile (JSON) whose plant, sensors and supervisor to use."])
    ],
    options: [
      method.spec, rule.spec, write.spec, model.spec, step.spec, hysteresis.spec, band.spec,
      maxTime.spec, seed.spec, rig.spec, RunCommand.rigChannels.spec, speed.spec,
    ],
    exitCodes: [
      (.success, "tuned"),
      (
        .checkFailed,
        "aborted (a trip, the band, no response, the time bound; the output was put in its safe state)"
      ),
      (.usage, nil), (.dataError, "bad profile, or a rig whose handshake does not match it"),
      (.noInput, nil),
      (
        .ioError,
        "I/O failure: the rig could not be opened (nothing was driven) or went away (its lease cuts the output), or the profile could not be written"
      ),
      (
        .interrupted,
        "stopped by SIGINT (129 SIGHUP, 131 SIGQUIT, 143 SIGTERM), output in its safe state"
      ),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    var settings = TuneSettings()
    if let method = try method.value(parsed) { settings.method = method }
    let rule = try rule.value(parsed) ?? TuningRule.defaultRule(for: settings.method)
    // A relay needs a larger swing than a step to cycle against the noise.
    if settings.method == .relay { settings.commandStep = 0.1 }
    if let value = try step.value(parsed) { settings.commandStep = value }
    if let value = try hysteresis.value(parsed) { settings.hysteresisCelsius = value }
    if let value = try band.value(parsed) { settings.bandCelsius = value }
    if let value = try maxTime.value(parsed) { settings.maximumSeconds = value }
    let seed = try seed.value(parsed)
    let writeModel = model.isSet(parsed)
    let out = try write.value(parsed)
    if writeModel && out == nil {
      throw UsageError("--model needs --write FILE (it chooses which controller --write writes)")
    }
    if writeModel && settings.method != .step {
      throw UsageError("--model needs --method step (the model comes from the step fit)")
    }
    let speed = try CommonOptions.wallSpeed(parsed)
    let device = try rig.value(parsed)
    let map = try RunCommand.rigChannels.value(parsed)
    if map != nil && device == nil { throw UsageError("--rig-channels applies to --rig only") }
    let loaded = try ProfileLoader.load(parsed.positionals[0])
    let profile = loaded.profile
    guard profile.isClosedLoop, profile.replayPath == nil else {
      throw DataError("\(loaded.path): tuning needs a closed-loop simulated profile")
    }
    // The rig is opened before the experiment: a device that cannot be
    // opened is an I/O failure (74) and nothing was driven, so no safe
    // state is claimed.
    let connected = try device.map { device throws(KitError) in
      try RigRun.connect(device, profile: profile, speed: speed, map: map)
    }
    let applicator = connected?.applicator
    let verified = connected?.verified ?? true

    // SIGINT, SIGTERM, SIGHUP and SIGQUIT end the experiment through the
    // runner, which puts the output in its safe state.
    let stop = SignalStop.install()
    let result: TuneResult
    do throws(TuneAbort) {
      if let applicator {
        result = try onRig(
          profile, applicator: applicator, speed: speed, settings: settings, stop: stop)
      } else {
        result = try Tuning.simulate(
          profile, settings: settings, seed: seed ?? profile.seed, stop: stop)
      }
    } catch {
      // What was measured before the abort comes first.
      console.write(TuneReport.measurements(error.measured, profile: profile, path: loaded.path))
      // A rig that went away could not be sent the safe state: say what cuts the output.
      if let applicator {
        console.write(rigEnding(applicator, speed: speed, verified: verified).summaryLine)
      }
      if let applicator, applicator.link.isLost {
        throw DeviceError(
          rigEnding(applicator, speed: speed, verified: verified).lostMessage(
            device: device ?? "", trip: " during tuning (\(error.message))"))
      }
      if error.stopped {
        console.writeError(
          "tuning stopped by a signal, output in its safe state: \(error.message)\n")
        return .stopped(by: SignalStop.lastSignal() ?? SIGTERM)
      }
      console.writeError("Error: tuning aborted, output in its safe state: \(error.message)\n")
      return .checkFailed
    }
    guard let outcome = Tuning.outcome(result, rule: rule, profile: profile) else {
      console.write(TuneReport.measurements(result, profile: profile, path: loaded.path))
      console.writeError(
        "Error: the rule \(rule.rawValue) has nothing to go on "
          + (result.heating == nil
            ? "(no FOPDT fits the relay cycle measured above; use an ultimate-cycle rule, tyreus-luyben by default, or --method step)\n"
            : "(no dead time)\n"))
      return .checkFailed
    }
    console.write(TuneReport.render(outcome, profile: profile, path: loaded.path))
    if let applicator {
      console.write(rigEnding(applicator, speed: speed, verified: verified).summaryLine)
    }
    if let out {
      let settingsOut = writeModel ? outcome.model.map { ModelControlSettings(model: $0) } : nil
      let text = ControllerRewrite.controllerJSON(
        gains: outcome.gains, limits: profile.limits, model: settingsOut)
      guard let source = FileManager.default.contents(atPath: loaded.path),
        let bytes = ControllerRewrite.replacing(controller: text, in: [UInt8](source))
      else {
        throw DataError("\(loaded.path): cannot rewrite its controller")
      }
      do {
        _ = try ProfileDecoder.decode(bytes, file: out)
      } catch {
        throw DataError("the rewritten profile is invalid: \(error)")
      }
      try AtomicFile.write(bytes, to: out)
      console.write("wrote \(out)\n")
    }
    return .success
  }

  /// How a tuning run on a rig ended: its lease and the expiries it reported.
  private static func rigEnding(_ applicator: RigApplicator, speed: Double, verified: Bool)
    -> RigRun.RigEnding
  {
    RigRun.RigEnding(
      lost: applicator.link.isLost, leaseExpiries: applicator.link.leaseExpiries,
      leaseWallSeconds: RigRun.leaseSeconds(speed: speed) / max(speed, 1e-9), verified: verified)
  }

  /// Runs the experiment in real time against a connected rig.
  private static func onRig(
    _ profile: Profile, applicator: RigApplicator, speed: Double, settings: TuneSettings,
    stop: SignalStop
  ) throws(TuneAbort) -> TuneResult {
    let link = applicator.link
    defer { link.close() }
    var session = TuneSession(
      profile: profile, applicator: applicator, clock: MonotonicClock(speed: speed),
      settings: settings, stop: stop)
    return try session.run()
  }
}
