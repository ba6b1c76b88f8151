import ApplicatorHAL

/// Predicts the controlled temperature from the commands actually applied,
/// for the supervisor's model-mismatch check (a sensor that reads fine but
/// needs far too much power, or far too little).
///
/// The ``PlantModel`` runs on the applied commands from the start; a bias b
/// carries what the linear model does not (the level of a tissue plant that
/// keeps cooling over a treatment, the TEC's nonlinearity). The prediction
/// is model + b, made *before* the tick's measurement is used.
///
/// Unlocked, b is reset to the residual every tick (no prediction). The
/// prediction locks once the caller says the loop holds (the supervisor is
/// armed) **and** the model is at rest with the command (its steady
/// temperature for the command in force is within ``lockToleranceCelsius``
/// of its state): a first-order model cannot follow the fast and slow modes
/// of an approach, but it can follow the trims around a hold. Locked, b
/// adapts with time constant ``adaptationSeconds``, so slow drift is
/// absorbed while a residual that builds faster (a probe that came off, a
/// plant that needs far more power than modelled) stays visible.
public struct ModelPredictor: Sendable {
  /// The adaptation time constant of the bias, s.
  public let adaptationSeconds: Double
  /// How close to rest the model must be for the prediction to lock, °C.
  public let lockToleranceCelsius: Double
  /// Whether the prediction is locked (runs free on the commands).
  public private(set) var isLocked = false
  /// The bias, °C.
  public private(set) var biasCelsius = 0.0
  private var state: ModelState
  private var lastNanoseconds: UInt64 = 0
  private var started = false
  private var holdingSince: UInt64? = nil

  /// Creates a predictor for a model.
  public init(model: PlantModel, adaptationSeconds: Double, lockToleranceCelsius: Double = 0.5) {
    self.adaptationSeconds = max(adaptationSeconds, 1)
    self.lockToleranceCelsius = lockToleranceCelsius
    state = ModelState(model: model, celsius: 0, command: 0, nowNanoseconds: 0)
  }

  /// The prediction for `nowNanoseconds` from what was applied until now,
  /// °C, or `nil` while unlocked.
  public mutating func predict(nowNanoseconds now: UInt64) -> Double? {
    guard started else { return nil }
    state.advance(toNanoseconds: now)
    return isLocked ? state.celsius + biasCelsius : nil
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
      biasCelsius = measurementCelsius - state.celsius
      let atRest =
        abs(state.model.steadyCelsius(command: command) - state.celsius) <= lockToleranceCelsius
      let held = Double(now - min(holdingSince ?? now, now)) * 1e-9
      isLocked = holding && atRest && held >= 3 * state.model.timeConstantSeconds
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
