import Foundation

/// What a relay experiment measured, averaged over its analysed cycles.
package struct RelayCycle: Equatable {
  /// The relay's half amplitude d (command above and below the hold command).
  package var relayAmplitude: Double
  /// The hysteresis ε, °C: the relay switches at setpoint ± ε.
  package var hysteresisCelsius: Double
  /// The setpoint the relay works around, °C.
  package var setpointCelsius: Double
  /// Mean peak temperature of a cycle, °C.
  package var maximumCelsius: Double
  /// Mean trough temperature of a cycle, °C.
  package var minimumCelsius: Double
  /// Mean time the relay spent heating (command above the hold) per cycle, s.
  package var heatingSeconds: Double
  /// Mean time the relay spent cooling per cycle, s.
  package var coolingSeconds: Double
  /// Mean time from a switch to the following extremum, s (the dead time, for a FOPDT).
  package var peakDelaySeconds: Double
  /// Mean reading at the switches to cooling, °C: r + ε for an ideal relay;
  /// a sampled relay switches at the first sample past it.
  package var switchHighCelsius: Double
  /// Mean reading at the switches to heating, °C (r − ε ideally).
  package var switchLowCelsius: Double

  /// The period, s.
  package var periodSeconds: Double { heatingSeconds + coolingSeconds }
  /// Half the peak-to-peak amplitude, °C.
  package var amplitudeCelsius: Double { (maximumCelsius - minimumCelsius) / 2 }

  /// The describing-function estimate of the ultimate gain, 4d/(π·√(a² − ε²))
  /// with ε the switching levels' half distance,
  /// which reads 10–20 % low on FOPDT plants (the relay output is a square
  /// wave, not a sinusoid).
  package var describingFunctionUltimateGain: Double {
    let a = amplitudeCelsius
    let e = (switchHighCelsius - switchLowCelsius) / 2
    return 4 * relayAmplitude / (Double.pi * (max(a * a - e * e, 1e-12)).squareRoot())
  }
}

/// The exact limit cycle of a FOPDT plant under an ideal relay with hysteresis.
///
/// Output u₀ ± d, switching to cooling when y rises through r + ε and to
/// heating when it falls through r − ε; the plant heads for y_H = r + K_h·d
/// while heating and y_C = r − K_c·d while cooling (r is the temperature the
/// hold command u₀ holds). Each half cycle is an exponential segment; with
/// q = e^(−θ/τ), the dead time carries each segment θ past its switch, so
///   y_max = y_H − (y_H − (r + ε))·q,  y_min = y_C + ((r − ε) − y_C)·q,
///   cooling time  T_c = θ + τ·ln((y_max − y_C)/((r − ε) − y_C)),
///   heating time  T_h = θ + τ·ln((y_H − y_min)/(y_H − (r + ε))),
/// and each extremum comes exactly θ after its switch.
package enum RelayLimitCycle {
  /// The cycle of a plant (for checks, and the forward half of identification).
  package static func cycle(
    heatingGain: Double, coolingGain: Double, timeConstantSeconds tau: Double,
    deadTimeSeconds theta: Double, relayAmplitude d: Double, hysteresisCelsius epsilon: Double,
    setpointCelsius r: Double
  ) -> RelayCycle {
    let q = exp(-theta / tau)
    let high = r + heatingGain * d
    let low = r - coolingGain * d
    let maximum = high - (high - (r + epsilon)) * q
    let minimum = low + ((r - epsilon) - low) * q
    let cooling = theta + tau * log((maximum - low) / ((r - epsilon) - low))
    let heating = theta + tau * log((high - minimum) / (high - (r + epsilon)))
    return RelayCycle(
      relayAmplitude: d, hysteresisCelsius: epsilon, setpointCelsius: r, maximumCelsius: maximum,
      minimumCelsius: minimum, heatingSeconds: heating, coolingSeconds: cooling,
      peakDelaySeconds: theta, switchHighCelsius: r + epsilon, switchLowCelsius: r - epsilon)
  }

  /// Identifies a FOPDT per direction from a measured cycle: θ is the peak
  /// delay, r ± ε the measured switching levels (exact for a sampled relay,
  /// which switches at its first sample past r ± ε); for a trial τ, the
  /// extremes give y_H and y_C (so K_h and K_c);
  /// τ is the one whose predicted period matches the measured one
  /// (bisection on log τ). `nil` when no τ fits.
  package static func identify(_ measured: RelayCycle) -> (
    heating: PlantFit, cooling: PlantFit
  )? {
    let r = measured.setpointCelsius
    let d = measured.relayAmplitude
    let switchHigh = measured.switchHighCelsius
    let switchLow = measured.switchLowCelsius
    let theta = max(measured.peakDelaySeconds, 0)
    let yMax = measured.maximumCelsius
    let yMin = measured.minimumCelsius
    guard d > 0, yMax > switchHigh, yMin < switchLow, switchHigh > switchLow else { return nil }
    /// Predicted period minus the measured one for a trial τ.
    func mismatch(_ tau: Double) -> Double? {
      let q = exp(-theta / tau)
      guard q < 1 else { return nil }
      let high = (yMax - switchHigh * q) / (1 - q)
      let low = (yMin - switchLow * q) / (1 - q)
      guard high > switchHigh, low < switchLow else { return nil }
      let cooling = theta + tau * log((yMax - low) / (switchLow - low))
      let heating = theta + tau * log((high - yMin) / (high - switchHigh))
      return cooling + heating - measured.periodSeconds
    }
    var lower = max(theta / 20, 1e-3)
    var upper = 1e6
    guard let atLower = mismatch(lower), let atUpper = mismatch(upper),
      atLower.sign != atUpper.sign
    else { return nil }
    for _ in 0..<200 {
      let middle = (lower * upper).squareRoot()
      guard let value = mismatch(middle) else { return nil }
      if value.sign == atLower.sign { lower = middle } else { upper = middle }
    }
    let tau = (lower * upper).squareRoot()
    let q = exp(-theta / tau)
    let high = (yMax - switchHigh * q) / (1 - q)
    let low = (yMin - switchLow * q) / (1 - q)
    return (
      PlantFit(
        gainCelsiusPerCommand: (high - r) / d, timeConstantSeconds: tau, deadTimeSeconds: theta),
      PlantFit(
        gainCelsiusPerCommand: (r - low) / d, timeConstantSeconds: tau, deadTimeSeconds: theta)
    )
  }
}

/// A FOPDT for one direction, however found (step fit or relay).
package struct PlantFit: Equatable {
  package var gainCelsiusPerCommand: Double
  package var timeConstantSeconds: Double
  package var deadTimeSeconds: Double

  /// The exact ultimate frequency and gain of the FOPDT under proportional
  /// control: ω solves ωθ + atan(ωτ) = π, Ku = √(1 + (ωτ)²)/K. `nil`
  /// without dead time (a first-order plant never oscillates).
  package var ultimate: (gain: Double, periodSeconds: Double)? {
    let tau = timeConstantSeconds
    let theta = deadTimeSeconds
    guard theta > 0, tau > 0, gainCelsiusPerCommand > 0 else { return nil }
    // The phase lag is increasing in ω: bisect between 0 and π/θ.
    var lower = 0.0
    var upper = Double.pi / theta
    for _ in 0..<200 {
      let middle = (lower + upper) / 2
      if middle * theta + atan(middle * tau) < Double.pi { lower = middle } else { upper = middle }
    }
    let omega = (lower + upper) / 2
    return (
      (1 + omega * tau * omega * tau).squareRoot() / gainCelsiusPerCommand, 2 * Double.pi / omega
    )
  }
}
