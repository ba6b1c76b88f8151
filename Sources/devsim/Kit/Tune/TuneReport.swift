import ThermalLoop

/// The text `devsim tune` prints.
package enum TuneReport {
  package static func render(_ outcome: TuningOutcome, profile: Profile, path: String) -> String {
    let result = outcome.result
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
    }
    if let relay = result.relay {
      lines.append(
        "relay  ±\(f(relay.relayAmplitude)) around the hold, hysteresis \(f(relay.hysteresisCelsius)) °C"
      )
      lines.append(
        "  period \(f(relay.periodSeconds)) s (heating \(f(relay.heatingSeconds)) s, cooling \(f(relay.coolingSeconds)) s)"
          + "  amplitude \(f(relay.amplitudeCelsius)) °C (peak \(f(relay.maximumCelsius)), trough \(f(relay.minimumCelsius)))"
      )
      lines.append(
        "  Ku (describing function) \(f(relay.describingFunctionUltimateGain))  peak delay \(f(relay.peakDelaySeconds)) s"
      )
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
            + " (FOPDT with θ + half a tick; the ultimate-cycle rules use these)")
      }
    }
    lines.append("rule   \(outcome.rule.rawValue): \(outcome.rule.statement)")
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

  package static func describe(_ gains: PIDGains) -> String {
    "kp \(ControllerRewrite.number(gains.proportionalPerCelsius))"
      + "  ki \(ControllerRewrite.number(gains.integralPerCelsiusSecond))"
      + "  kd \(ControllerRewrite.number(gains.derivativeSecondsPerCelsius))"
  }

  private static func f(_ value: Double) -> String { DecimalText.string(value, decimals: 3) }
}
