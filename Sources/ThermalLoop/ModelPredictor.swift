import ApplicatorHAL

/// Predicts the controlled temperature from the commands actually applied,
/// for the supervisor's model-mismatch check (a sensor that reads fine but
/// needs far too much power, or far too little).
///
/// The ``PlantModel`` runs on the applied commands; a bias b carries what
/// the linear model does not (the level of a tissue plant that keeps
/// cooling over a treatment, the TEC's nonlinearity). The prediction is
/// model + b, made *before* the tick's measurement is used.
///
/// Unlocked, there is no prediction. The prediction locks once the caller
/// says the loop holds (the supervisor is armed) and has held for three
/// model time constants (at most 5 min): a first-order model cannot follow
/// the fast and slow modes of an approach and the trims that end it, but it
/// can follow a hold. At the lock the model restarts at rest with the
/// command in force (low-passed over 10 s against the PID's response to
/// sensor noise), b taking up the difference to the measurement, so only
/// what the commands do from then on is predicted. Locked, b adapts with
/// time constant ``adaptationSeconds``: slow drift is absorbed, while a
/// residual that builds faster (a probe that came off, a plant that needs
/// far more power than modelled) stays visible.
public struct ModelPredictor: Sendable {
  /// The adaptation time constant of the bias, s.
  public let adaptationSeconds: Double
  /// Whether the prediction is locked (runs free on the commands).
  public private(set) var isLocked = false
  /// The bias, °C.
  public private(set) var biasCelsius = 0.0
  /// The last prediction, °C (`nil` while unlocked).
  public private(set) var predictionCelsius: Double? = nil
  private var state: ModelState
  private var lastNanoseconds: UInt64 = 0
  private var started = false
  private var holdingSince: UInt64? = nil
  private var filteredCommand = Double.nan

  /// Creates a predictor for a model.
  public init(model: PlantModel, adaptationSeconds: Double) {
    self.adaptationSeconds = max(adaptationSeconds, 1)
    state = ModelState(model: model, celsius: 0, command: 0, nowNanoseconds: 0)
  }

  /// The prediction for `nowNanoseconds` from what was applied until now,
  /// °C, or `nil` while unlocked.
  public mutating func predict(nowNanoseconds now: UInt64) -> Double? {
    guard started else { return nil }
    state.advance(toNanoseconds: now)
    predictionCelsius = isLocked ? state.celsius + biasCelsius : nil
    return predictionCelsius
  }

  /// Takes the tick's measurement and the command in force.
  ///
  /// - Parameter holding: whether the loop holds its setpoint (the supervisor is armed).
  public mutating func observe(
    measurementCelsius: Double, holding: Bool, command: Double, nowNanoseconds now: UInt64
  ) {
    if !started {
      state.reset(
        celsius: state.model.steadyCelsius(command: command), command: command,
        nowNanoseconds: now)
      started = true
    }
    // The command through a 10 s low-pass: at rest is judged on it, not on
    // the PID's tick-to-tick response to sensor noise.
    if filteredCommand.isNaN {
      filteredCommand = command
    } else {
      let dt = Double(now - min(lastNanoseconds, now)) * 1e-9
      filteredCommand += (command - filteredCommand) * (1 - Elementary.exp(-dt / 10))
    }
    if !holding {
      isLocked = false
      holdingSince = nil
    } else if holdingSince == nil {
      holdingSince = now
    }
    if isLocked {
      let dt = Double(now - min(lastNanoseconds, now)) * 1e-9
      let residual = measurementCelsius - (state.celsius + biasCelsius)
      biasCelsius += residual * (1 - Elementary.exp(-dt / adaptationSeconds))
    } else {
      let held = Double(now - min(holdingSince ?? now, now)) * 1e-9
      isLocked = holding && held >= min(3 * state.model.timeConstantSeconds, 300)
      if isLocked {
        state.reset(
          celsius: state.model.steadyCelsius(command: filteredCommand), command: filteredCommand,
          nowNanoseconds: now)
      }
      biasCelsius = measurementCelsius - state.celsius
    }
    lastNanoseconds = now
  }

  /// Records the command written this tick.
  public mutating func apply(command: Double, nowNanoseconds now: UInt64) {
    state.apply(command: command, nowNanoseconds: now)
  }

  /// Unlocks (no measurement this tick, or the loop is not running).
  public mutating func unlock() { isLocked = false }
}
