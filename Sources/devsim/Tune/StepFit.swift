import Foundation
import ThermalLoop

/// One recorded step response: the temperature after a command step.
struct StepResponse {
  /// Seconds since the step was applied, one per sample.
  var seconds: [Double]
  /// The temperature at each sample, °C.
  var celsius: [Double]
  /// The temperature before the step (mean over the settled hold), °C.
  var baselineCelsius: Double
  /// The command step (new − old).
  var commandStep: Double
  /// How fast the hold command was drifting before the step (command per
  /// second, from the settled hold): the plant's slow modes, which keep
  /// moving the temperature under a fixed command. 0 for a settled plant.
  var holdDriftPerSecond: Double = 0
}

/// A first-order-plus-dead-time fit of one step response.
struct StepFit: Equatable {
  /// Gain, °C per unit of command.
  var gainCelsiusPerCommand: Double
  /// Time constant, s.
  var timeConstantSeconds: Double
  /// Dead time, s.
  var deadTimeSeconds: Double
  /// RMS of the residual of the fit, °C.
  var residualRmsCelsius: Double
}

/// Fits y(t) = y₀ + K·Δu·(1 − e^(−(t − θ)/τ)) for t > θ (y₀ before) to a
/// step response by least squares; a hold that was drifting at s command
/// per second adds the FOPDT's ramp response −K·s·(t − θ − τ·(1 − e^(−(t − θ)/τ))),
/// so the slow modes of a tissue plant do not bend the fit (still linear in K).
///
/// The two-point method (Smith: the times t₂₈ and t₆₃ at which the response
/// reaches 28.3 % and 63.2 % of its final change give τ = 1.5·(t₆₃ − t₂₈),
/// θ = t₆₃ − τ) gives the start; then K is solved in closed form for each
/// (τ, θ) (the model is linear in K), and (τ, θ) are refined by Nelder–Mead
/// on the sum of squared residuals.
enum StepFitter {
  static func fit(_ response: StepResponse) -> StepFit? {
    let count = min(response.seconds.count, response.celsius.count)
    guard count >= 8, response.commandStep != 0 else { return nil }
    let y0 = response.baselineCelsius
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
    let tauStart = max(1.5 * (t63 - t28), 1e-3)
    let thetaStart = max(t63 - tauStart, 0)

    /// Squared residual and the best K for (τ, θ).
    let drift = response.holdDriftPerSecond
    func shapeAt(_ t: Double, _ tau: Double, _ theta: Double) -> Double {
      guard t > theta else { return 0 }
      let rise = 1 - exp(-(t - theta) / tau)
      return response.commandStep * rise - drift * ((t - theta) - tau * rise)
    }
    func cost(_ tau: Double, _ theta: Double) -> (sum: Double, gain: Double) {
      guard tau > 0, theta >= 0 else { return (.infinity, 0) }
      var sxy = 0.0
      var sxx = 0.0
      for index in 0..<count {
        let shape = shapeAt(response.seconds[index], tau, theta)
        sxy += shape * (response.celsius[index] - y0)
        sxx += shape * shape
      }
      guard sxx > 0 else { return (.infinity, 0) }
      let gain = sxy / sxx
      var sum = 0.0
      for index in 0..<count {
        let shape = shapeAt(response.seconds[index], tau, theta)
        let residual = response.celsius[index] - y0 - gain * shape
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
      residualRmsCelsius: (sum / Double(count)).squareRoot())
  }
}

/// Nelder–Mead simplex minimisation in two dimensions.
enum NelderMead {
  static func minimise(
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
