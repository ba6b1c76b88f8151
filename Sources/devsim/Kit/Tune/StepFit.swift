import Foundation

/// One recorded step response: the temperature after a command step.
package struct StepResponse {
  /// Seconds since the step was applied, one per sample.
  package var seconds: [Double]
  /// The temperature at each sample, °C.
  package var celsius: [Double]
  /// The temperature before the step (mean over the settled hold), °C.
  package var baselineCelsius: Double
  /// The command step (new − old).
  package var commandStep: Double
  /// How fast the hold command was drifting before the step (command per
  /// second, from the settled hold): the plant's slow modes, which keep
  /// moving the temperature under a fixed command. 0 for a settled plant.
  package var holdDriftPerSecond: Double = 0
}

/// A first-order-plus-dead-time fit of one step response.
package struct StepFit: Equatable {
  /// Gain, °C per unit of command.
  package var gainCelsiusPerCommand: Double
  /// Time constant, s.
  package var timeConstantSeconds: Double
  /// Dead time, s.
  package var deadTimeSeconds: Double
  /// RMS of the residual of the fit, °C.
  package var residualRmsCelsius: Double
  /// The largest τ the fit may take (three times the record), s.
  package var timeConstantBoundSeconds = Double.infinity
  /// The dead time stays below this (half the record), s.
  package var deadTimeBoundSeconds = Double.infinity

  /// Whether τ ended at its bound: the record was too short to fix τ (and
  /// with it K); only K/τ and θ are what the data say.
  package var timeConstantAtBound: Bool {
    timeConstantSeconds >= (1 - Self.boundShare) * timeConstantBoundSeconds
  }
  /// Whether θ ended at its bound: the response barely started within the record.
  package var deadTimeAtBound: Bool {
    deadTimeSeconds >= (1 - Self.boundShare) * deadTimeBoundSeconds
  }
  /// How close to a bound counts as at it (the simplex closes in on a bound
  /// from inside, never landing exactly on it).
  private static let boundShare = 1e-3
}

/// Fits y(t) = y₀ + K·Δu·(1 − e^(−(t − θ)/τ)) for t > θ (y₀ before) to a
/// step response by least squares. When the hold was drifting (the slow
/// modes of a tissue plant keep moving the temperature under a fixed
/// command), the FOPDT's ramp response c·(t − θ − τ·(1 − e^(−(t − θ)/τ)))
/// is fitted alongside, c free, so the drift does not bend K, τ and θ.
/// A response cut short (a slow plant stopped at half the tuning band)
/// fixes K/τ and θ but not τ itself: τ is kept within three times the
/// record and θ within half of it.
///
/// The two-point method (Smith: the times t₂₈ and t₆₃ at which the response
/// reaches 28.3 % and 63.2 % of its final change give τ = 1.5·(t₆₃ − t₂₈),
/// θ = t₆₃ − τ) gives the start; then K is solved in closed form for each
/// (τ, θ) (the model is linear in K), and (τ, θ) are refined by Nelder–Mead
/// on the sum of squared residuals.
package enum StepFitter {
  package static func fit(_ response: StepResponse) -> StepFit? {
    let count = min(response.seconds.count, response.celsius.count)
    guard count >= 8, response.commandStep != 0 else { return nil }
    let y0 = response.baselineCelsius
    // A drift worth fitting: over the response, more than a tenth of the step's command.
    let duration = response.seconds[count - 1]
    let withDrift = abs(response.holdDriftPerSecond) * duration > 0.1 * abs(response.commandStep)
    // Final value: the mean of the last tenth.
    let tail = max(count / 10, 1)
    var final = 0.0
    for index in (count - tail)..<count { final += response.celsius[index] }
    final /= Double(tail)
    let change = final - y0
    guard abs(change) > 0 else { return nil }
    func crossing(_ fraction: Double) -> Double? {
      let level = y0 + fraction * change
      for index in 1..<count
      where (response.celsius[index] - level) * (change > 0 ? 1 : -1) >= 0 {
        let before = response.celsius[index - 1]
        let after = response.celsius[index]
        let share = after == before ? 1 : (level - before) / (after - before)
        let t0 = response.seconds[index - 1]
        return t0 + min(max(share, 0), 1) * (response.seconds[index] - t0)
      }
      return nil
    }
    guard let t28 = crossing(0.283), let t63 = crossing(0.632) else { return nil }
    let tauStart = min(max(1.5 * (t63 - t28), 1e-3), 2 * duration)
    let tauBound = 3 * duration
    let thetaBound = duration / 2
    let thetaStart = max(t63 - tauStart, 0)

    /// Squared residual and the best K for (τ, θ).
    // Two shapes, both linear in their coefficients: the step's rise and
    // the FOPDT's response to a ramp of the input (the plant's slow drift).
    func shapes(_ t: Double, _ tau: Double, _ theta: Double) -> (rise: Double, ramp: Double) {
      guard t > theta else { return (0, 0) }
      let rise = 1 - exp(-(t - theta) / tau)
      return (response.commandStep * rise, (t - theta) - tau * rise)
    }
    /// Squared residual and the best K for (τ, θ) (with the drift's
    /// coefficient fitted alongside, when the hold was drifting).
    func cost(_ tau: Double, _ theta: Double) -> (sum: Double, gain: Double) {
      guard tau > 0, theta >= 0, tau <= tauBound, theta < thetaBound else {
        return (.infinity, 0)
      }
      var a11 = 0.0
      var a12 = 0.0
      var a22 = 0.0
      var b1 = 0.0
      var b2 = 0.0
      for index in 0..<count {
        let (rise, ramp) = shapes(response.seconds[index], tau, theta)
        let y = response.celsius[index] - y0
        a11 += rise * rise
        a12 += rise * ramp
        a22 += ramp * ramp
        b1 += rise * y
        b2 += ramp * y
      }
      guard a11 > 0 else { return (.infinity, 0) }
      var gain = b1 / a11
      var drift = 0.0
      let determinant = a11 * a22 - a12 * a12
      if withDrift && determinant > 1e-9 * a11 * a22 {
        gain = (b1 * a22 - b2 * a12) / determinant
        drift = (a11 * b2 - a12 * b1) / determinant
      }
      var sum = 0.0
      for index in 0..<count {
        let (rise, ramp) = shapes(response.seconds[index], tau, theta)
        let residual = response.celsius[index] - y0 - gain * rise - drift * ramp
        sum += residual * residual
      }
      return (sum, gain)
    }
    let best = NelderMead.minimise(
      start: (tauStart, thetaStart), scale: (0.2 * tauStart, 0.2 * tauStart + 0.1)
    ) { cost($0, $1).sum }
    let (sum, gain) = cost(best.0, best.1)
    guard sum.isFinite, gain > 0 else { return nil }
    return StepFit(
      gainCelsiusPerCommand: gain, timeConstantSeconds: best.0, deadTimeSeconds: best.1,
      residualRmsCelsius: (sum / Double(count)).squareRoot(), timeConstantBoundSeconds: tauBound,
      deadTimeBoundSeconds: thetaBound)
  }
}

/// Nelder–Mead simplex minimisation in two dimensions.
package enum NelderMead {
  package static func minimise(
    start: (Double, Double), scale: (Double, Double), iterations: Int = 400,
    _ f: (Double, Double) -> Double
  ) -> (Double, Double) {
    typealias Point = (x: Double, y: Double, value: Double)
    func point(_ x: Double, _ y: Double) -> Point { (x, y, f(x, y)) }
    var simplex = [
      point(start.0, start.1), point(start.0 + scale.0, start.1),
      point(start.0, start.1 + scale.1),
    ]
    for _ in 0..<iterations {
      simplex.sort { $0.value < $1.value }
      let best = simplex[0]
      let worst = simplex[2]
      let cx = (simplex[0].x + simplex[1].x) / 2
      let cy = (simplex[0].y + simplex[1].y) / 2
      let reflected = point(2 * cx - worst.x, 2 * cy - worst.y)
      if reflected.value < best.value {
        let expanded = point(3 * cx - 2 * worst.x, 3 * cy - 2 * worst.y)
        simplex[2] = expanded.value < reflected.value ? expanded : reflected
      } else if reflected.value < simplex[1].value {
        simplex[2] = reflected
      } else {
        let contracted = point((cx + worst.x) / 2, (cy + worst.y) / 2)
        if contracted.value < worst.value {
          simplex[2] = contracted
        } else {
          simplex[1] = point((best.x + simplex[1].x) / 2, (best.y + simplex[1].y) / 2)
          simplex[2] = point((best.x + worst.x) / 2, (best.y + worst.y) / 2)
        }
      }
      let spread = abs(simplex[2].value - simplex[0].value)
      if spread <= 1e-14 * (abs(simplex[0].value) + 1e-30) { break }
    }
    simplex.sort { $0.value < $1.value }
    return (simplex[0].x, simplex[0].y)
  }
}
