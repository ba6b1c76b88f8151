import ThermalLoop

/// The text `devsim tune` prints.
package enum TuneReport {
  package static func render(_ outcome: TuningOutcome, profile: Profile, path: String) -> String {
    var lines = measurementLines(outcome.result, profile: profile, path: path)
    lines.append("rule   \(outcome.rule.rawValue): \(outcome.rule.statement)")
    if outcome.usesDescribingFunction && outcome.result.heating != nil {
      lines.append(
        "  on the cycle as measured: Ku (describing function) and Tu = the period,"
          + " not the FOPDT's ultimate point, which lies where the relay did not measure")
    }
    for (name, gains) in [("heating", outcome.heatingGains), ("cooling", outcome.coolingGains)] {
      guard let gains else { continue }
      lines.append("  \(name)  \(describe(gains))")
    }
    lines.append(
      "gains  \(describe(outcome.gains))"
        + (outcome.usesDescribingFunction ? "" : "  (the direction with the smaller kp)"))
    guard let m = outcome.model else { return lines.joined(separator: "\n") + "\n" }
    lines.append(
      "model  K \(f(m.gainCelsiusPerCommand)) °C/command  τ \(f(m.timeConstantSeconds)) s  θ \(f(m.deadTimeSeconds)) s"
        + "  zero-command temperature \(f(m.zeroCommandCelsius)) °C (mean of both directions)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// What a finished experiment measured: printed before the gains, and on
  /// its own when the rule has nothing to go on.
  package static func measurements(_ result: TuneResult, profile: Profile, path: String)
    -> String
  {
    measurementLines(result, profile: profile, path: path).joined(separator: "\n") + "\n"
  }

  /// What an aborted experiment had measured; empty when nothing was.
  package static func measurements(_ measured: TuneMeasurements, profile: Profile, path: String)
    -> String
  {
    guard !measured.isEmpty else { return "" }
    var lines = [
      "devsim \(Version.string): tuning \(profile.name) (\(path)), measured before the abort"
    ]
    if let hold = measured.hold {
      lines.append(
        "hold   \(f(hold.celsius)) °C at command \(f(hold.command)), noise while holding \(f(hold.noiseCelsius)) °C RMS"
      )
    }
    for step in measured.steps {
      lines.append(
        "step   \(signed(step.commandStep)) from the hold: \(f(step.baselineCelsius)) °C to \(f(step.lastCelsius)) °C"
          + " in \(f(step.seconds)) s" + (step.finished ? "" : " (cut short by the abort)"))
    }
    if let cycle = measured.relayCycle {
      lines += relayLines(cycle)
    } else if let relay = measured.relay {
      lines.append(
        "relay  \(relay.switches) switch\(relay.switches == 1 ? "" : "es") from \(f(relay.firstSwitchSeconds)) s to \(f(relay.lastSwitchSeconds)) s,"
          + " readings \(f(relay.lowestCelsius)) … \(f(relay.highestCelsius)) °C (no cycle analysed)"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func measurementLines(_ result: TuneResult, profile: Profile, path: String)
    -> [String]
  {
    var lines: [String] = []
    lines.append("devsim \(Version.string): tuning \(profile.name) (\(path))")
    lines.append(
      "hold   \(f(result.holdCelsius)) °C at command \(f(result.holdCommand)), "
        + "experiment took \(f(result.seconds)) s, noise while holding \(f(result.noiseCelsius)) °C RMS"
    )
    if let step = result.step {
      lines.append("step test (FOPDT least-squares fit per direction)")
      for (name, fit) in [("heating", step.heating), ("cooling", step.cooling)] {
        lines.append(
          "  \(name)  K \(f(fit.gainCelsiusPerCommand)) °C/command  τ \(f(fit.timeConstantSeconds)) s"
            + "  θ \(f(fit.deadTimeSeconds)) s  residual RMS \(f(fit.residualRmsCelsius)) °C")
      }
      for (name, fit) in [("heating", step.heating), ("cooling", step.cooling)] {
        lines += boundNotes(name, fit)
      }
    }
    if let relay = result.relay {
      lines += relayLines(relay)
      if result.heating == nil {
        lines.append(
          "  no FOPDT fits this cycle (the plant is not first order plus dead time, or the noise"
            + " is too large for the hysteresis): the rule uses the describing-function Ku and Tu = the period"
        )
      } else {
        lines.append("  FOPDT from the exact limit cycle, per direction")
      }
      for (name, optional) in [("heating", result.heating), ("cooling", result.cooling)] {
        guard let fit = optional else { continue }
        lines.append(
          "  \(name)  K \(f(fit.gainCelsiusPerCommand)) °C/command  τ \(f(fit.timeConstantSeconds)) s  θ \(f(fit.deadTimeSeconds)) s"
        )
      }
    }
    let halfSample = Double(profile.tickNanoseconds) * 0.5e-9
    for (name, optional) in [("heating", result.heating), ("cooling", result.cooling)] {
      guard let fit = optional else { continue }
      let sampled = PlantFit(
        gainCelsiusPerCommand: fit.gainCelsiusPerCommand,
        timeConstantSeconds: fit.timeConstantSeconds,
        deadTimeSeconds: fit.deadTimeSeconds + halfSample)
      if let ultimate = sampled.ultimate {
        lines.append(
          "exact  \(name): Ku \(f(ultimate.gain))  Tu \(f(ultimate.periodSeconds)) s"
            + " (FOPDT with θ + half a tick; ziegler-nichols and no-overshoot use these)")
      }
    }
    return lines
  }

  /// The relay's cycle: amplitude, period, the describing-function Ku.
  private static func relayLines(_ relay: RelayCycle) -> [String] {
    [
      "relay  ±\(f(relay.relayAmplitude)) around the hold, hysteresis \(f(relay.hysteresisCelsius)) °C",
      "  period \(f(relay.periodSeconds)) s (heating \(f(relay.heatingSeconds)) s, cooling \(f(relay.coolingSeconds)) s)"
        + "  amplitude \(f(relay.amplitudeCelsius)) °C (peak \(f(relay.maximumCelsius)), trough \(f(relay.minimumCelsius)))",
      "  Ku (describing function) \(f(relay.describingFunctionUltimateGain))  peak delay \(f(relay.peakDelaySeconds)) s",
    ]
  }

  /// A line per parameter of a step fit that ended at its bound.
  private static func boundNotes(_ name: String, _ fit: StepFit) -> [String] {
    var notes: [String] = []
    if fit.timeConstantAtBound {
      notes.append(
        "  \(name)  τ \(f(fit.timeConstantSeconds)) s is at the fit's bound (3 × the record of"
          + " \(f(fit.timeConstantBoundSeconds / 3)) s): the record is too short to fix τ and K, only K/τ and θ;"
          + " the PI gains rest on those, the model (--model) on K and τ as they stand")
    }
    if fit.deadTimeAtBound {
      notes.append(
        "  \(name)  θ \(f(fit.deadTimeSeconds)) s is at the fit's bound (half the record of"
          + " \(f(fit.deadTimeBoundSeconds * 2)) s): the response barely started within it; try a larger --step"
      )
    }
    return notes
  }

  package static func describe(_ gains: PIDGains) -> String {
    "kp \(ControllerRewrite.number(gains.proportionalPerCelsius))"
      + "  ki \(ControllerRewrite.number(gains.integralPerCelsiusSecond))"
      + "  kd \(ControllerRewrite.number(gains.derivativeSecondsPerCelsius))"
  }

  /// A command step with its sign.
  private static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + f(value) }

  private static func f(_ value: Double) -> String { DecimalText.string(value, decimals: 3) }
}
