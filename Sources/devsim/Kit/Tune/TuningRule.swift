import ThermalLoop

/// How gains follow from what a tuning experiment found.
package enum TuningRule: String, CaseIterable {
  /// Ziegler–Nichols ultimate-cycle PID: Kp = 0.6·Ku, Ti = Tu/2, Td = Tu/8.
  case zieglerNichols = "ziegler-nichols"
  /// The "no overshoot" variant of the ultimate-cycle rule (Seborg et al.):
  /// Kp = 0.2·Ku, Ti = Tu/2, Td = Tu/3.
  case noOvershoot = "no-overshoot"
  /// Tyreus and Luyben's ultimate-cycle PI, the conservative choice for
  /// slow, lagging process plants: Kp = Ku/3.2, Ti = 2.2·Tu (a gain margin
  /// of about 3 and an integral far slower than Ziegler–Nichols'). The
  /// default with a relay, whose cycle gives Ku and Tu directly.
  case tyreusLuyben = "tyreus-luyben"
  /// Skogestad's SIMC PI for a FOPDT: Kp = τ/(K·(τc + θ)), Ti = min(τ, 4·(τc + θ)),
  /// with τc = θ ("tight", θ including half a sample period for the
  /// sampling), made slower where that Kp would pass the measured sensor
  /// noise σ to the actuator at more than 1 % of full scale (Kp·σ ≤ 0.01):
  /// a thermal plate has almost no dead time, and τc = θ would there only
  /// amplify noise.
  case simc

  /// A line that says what the rule is, for the printed result.
  package var statement: String {
    switch self {
    case .zieglerNichols: "Ziegler–Nichols ultimate cycle, PID: Kp = 0.6·Ku, Ti = Tu/2, Td = Tu/8"
    case .noOvershoot: "no-overshoot ultimate cycle, PID: Kp = 0.2·Ku, Ti = Tu/2, Td = Tu/3"
    case .tyreusLuyben: "Tyreus–Luyben ultimate cycle, PI: Kp = Ku/3.2, Ti = 2.2·Tu"
    case .simc:
      "SIMC PI, τc = θ or slower so that Kp·σ(noise) ≤ 1 %: Kp = τ/(K·(τc + θ)), Ti = min(τ, 4·(τc + θ))"
    }
  }

  /// Gains for a plant; the ultimate-cycle rules use the plant's exact Ku and Tu.
  ///
  /// - Parameters:
  ///   - sampleSeconds: the loop's tick (adds half a sample to θ).
  ///   - noiseCelsius: the sensor noise measured while holding (SIMC's τc floor).
  package func gains(
    for plant: PlantFit, sampleSeconds: Double, filterSeconds: Double, noiseCelsius: Double = 0
  ) -> PIDGains? {
    let theta = plant.deadTimeSeconds + sampleSeconds / 2
    let effective = PlantFit(
      gainCelsiusPerCommand: plant.gainCelsiusPerCommand,
      timeConstantSeconds: plant.timeConstantSeconds, deadTimeSeconds: theta)
    var kp: Double
    var ti: Double
    switch self {
    case .zieglerNichols, .noOvershoot, .tyreusLuyben:
      guard let ultimate = effective.ultimate else { return nil }
      return gains(
        ultimateGain: ultimate.gain, periodSeconds: ultimate.periodSeconds,
        filterSeconds: filterSeconds)
    case .simc:
      let quiet = plant.timeConstantSeconds * noiseCelsius / (0.01 * plant.gainCelsiusPerCommand)
      let closed = max(theta, quiet - theta)
      kp = plant.timeConstantSeconds / (plant.gainCelsiusPerCommand * (closed + theta))
      ti = min(plant.timeConstantSeconds, 4 * (closed + theta))
    }
    guard kp.isFinite, kp > 0, ti > 0 else { return nil }
    return PIDGains(
      proportionalPerCelsius: kp, integralPerCelsiusSecond: kp / ti,
      derivativeSecondsPerCelsius: 0, derivativeFilterSeconds: filterSeconds)
  }

  /// Gains of an ultimate-cycle rule from Ku and Tu; `nil` for SIMC, which needs a FOPDT.
  package func gains(ultimateGain ku: Double, periodSeconds tu: Double, filterSeconds: Double)
    -> PIDGains?
  {
    guard ku.isFinite, ku > 0, tu > 0, tu.isFinite else { return nil }
    let kp: Double
    let ti: Double
    let td: Double
    switch self {
    case .simc: return nil
    case .zieglerNichols: (kp, ti, td) = (0.6 * ku, tu / 2, tu / 8)
    case .noOvershoot: (kp, ti, td) = (0.2 * ku, tu / 2, tu / 3)
    case .tyreusLuyben: (kp, ti, td) = (ku / 3.2, 2.2 * tu, 0)
    }
    return PIDGains(
      proportionalPerCelsius: kp, integralPerCelsiusSecond: kp / ti,
      derivativeSecondsPerCelsius: kp * td, derivativeFilterSeconds: filterSeconds)
  }

  /// The rule used when none is named: SIMC for a step test (it fits a
  /// FOPDT), Tyreus–Luyben for a relay (its cycle measures Ku and Tu, and
  /// the shipped plants' cycles fit no FOPDT).
  package static func defaultRule(for method: TuneMethod) -> TuningRule {
    method == .relay ? .tyreusLuyben : .simc
  }
}
