import ApplicatorHAL

/// The model-based part of the model-based controller: a planned approach
/// to the setpoint, the feedforward command that makes a ``PlantModel``
/// follow it, and the model's nominal response, which the PID trims to.
///
/// Per tick:
/// - the reference r moves toward the target at the fastest rate the model
///   says the actuator can sustain within ``headroom`` of its limit (the
///   feedforward below at that limit), and lands on the target as a
///   first-order response of time constant λ (the planned landing; also
///   limited by the phase's ramp), starting from the measurement;
/// - the feedforward inverts the model exactly for a zero-order hold: the
///   command that takes the model from r to the next r in one tick
///   (continuous time: u = (r − T₀)/K + (τ/K)·dr/dt), clamped to the output
///   limits; once r has arrived it is the steady power that holds the
///   setpoint;
/// - the nominal output is the model driven by that feedforward (with its
///   dead time): what the plant should read if the model were exact. The
///   PID works on nominal − measured, so it trims the model's error and
///   does not fight the planned approach or the dead time.
///
/// λ is the planned value when set, else twice the model's dead time or a
/// twentieth of its τ, whichever is longer.
public struct ModelFeedforward: Sendable {
  /// The fraction of the output limit the approach may plan to use.
  public static let headroom = 0.8
  /// The plant model.
  public let model: PlantModel
  /// The planned landing time constant λ, s (0: the longer of 2θ and τ/20).
  public let approachSeconds: Double
  /// The reference, °C.
  public private(set) var referenceCelsius = 0.0
  /// The approach time constant in force, s.
  public private(set) var approachInForceSeconds = 0.0
  /// The feedforward command of the last tick.
  public private(set) var feedforward = 0.0
  private var nominal: ModelState
  private var started = false
  private var lastTarget = Double.nan
  private var lastNanoseconds: UInt64 = 0

  /// Creates the feedforward for a model and a planned approach time constant.
  public init(model: PlantModel, approachSeconds: Double) {
    self.model = model
    self.approachSeconds = max(approachSeconds, 0)
    nominal = ModelState(model: model, celsius: 0, command: 0, nowNanoseconds: 0)
  }

  /// Plans a new approach from the measurement at the next tick (after a
  /// hold-off, a trip, or a reset).
  public mutating func restart() { started = false }

  /// One tick: returns the temperature the PID should work to (the model's
  /// nominal output) and the feedforward command.
  public mutating func update(
    targetCelsius: Double, measurementCelsius: Double, limits: OutputLimits,
    rampCelsiusPerSecond: Double, nowNanoseconds now: UInt64
  ) -> (setpointCelsius: Double, feedforward: Double) {
    if !started || targetCelsius != lastTarget {
      let from = started ? referenceCelsius : measurementCelsius
      if !started {
        nominal.reset(
          celsius: measurementCelsius, command: model.holdCommand(celsius: measurementCelsius),
          nowNanoseconds: now)
      }
      started = true
      lastTarget = targetCelsius
      referenceCelsius = from
      approachInForceSeconds = plannedApproach(from: from, to: targetCelsius, limits: limits)
      lastNanoseconds = now
    }
    let dt = Double(now - min(lastNanoseconds, now)) * 1e-9
    lastNanoseconds = now
    var command = model.holdCommand(celsius: referenceCelsius)
    if dt > 0 {
      // The model over one tick of constant command u (zero-order hold):
      // y ← y∞ + (y − y∞)·a, a = e^(−dt/τ), y∞ = T₀ + K·u. Moving it from r
      // to r' in one tick takes y∞ = (r' − a·r)/(1 − a): the exact inverse.
      let decay = Elementary.exp(-dt / model.timeConstantSeconds)
      let distance = targetCelsius - referenceCelsius
      let landing = distance * (1 - Elementary.exp(-dt / approachInForceSeconds))
      // The fastest step within the headroom, toward the target: y∞ at the limit.
      let limit = (distance >= 0 ? limits.high : limits.low) * ModelFeedforward.headroom
      let sustained = (model.steadyCelsius(command: limit) - referenceCelsius) * (1 - decay)
      var step = landing
      if sustained * distance > 0 && abs(sustained) < abs(landing) { step = sustained }
      if rampCelsiusPerSecond.isFinite {
        let most = rampCelsiusPerSecond * dt
        step = min(max(step, -most), most)
      }
      let next = referenceCelsius + step
      command = model.holdCommand(celsius: (next - decay * referenceCelsius) / (1 - decay))
      referenceCelsius = next
    }
    feedforward = limits.clamp(command)
    nominal.advance(toNanoseconds: now)
    nominal.apply(command: feedforward, nowNanoseconds: now)
    return (nominal.celsius, feedforward)
  }

  /// λ for a landing: the planned one, else twice the dead time or a
  /// twentieth of τ, whichever is longer.
  private func plannedApproach(from: Double, to target: Double, limits: OutputLimits) -> Double {
    approachSeconds > 0
      ? approachSeconds
      : max(2 * model.deadTimeSeconds, model.timeConstantSeconds / 20, 1e-3)
  }
}
