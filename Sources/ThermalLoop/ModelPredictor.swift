import ApplicatorHAL

/// Predicts the controlled temperature from the commands actually applied,
/// for the supervisor's model-mismatch check (a sensor that reads fine but
/// needs far too much power, or far too little).
///
/// The ``PlantModel`` runs on the applied commands; a slow bias b, adapted
/// with time constant ``adaptationSeconds``, absorbs what the linear model
/// does not capture (tissue that cools over a treatment, the TEC's
/// nonlinearity). The prediction is the model plus b, made *before* the
/// tick's measurement is used. Unlocked (before the window is entered) the
/// model follows the measurement, so the lock starts from the plant's real
/// state; once locked, a residual that builds faster than the adaptation
/// (a probe that came off, a sensor offset, a plant that is not the one
/// modelled) stays visible for a multiple of that time constant.
public struct ModelPredictor: Sendable {
  /// The adaptation time constant of the bias, s.
  public let adaptationSeconds: Double
  /// Whether the prediction is locked (runs free on the commands).
  public private(set) var isLocked = false
  /// The bias, °C.
  public private(set) var biasCelsius = 0.0
  private var state: ModelState
  private var lastNanoseconds: UInt64 = 0
  private var started = false

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
    return isLocked ? state.celsius + biasCelsius : nil
  }

  /// Takes the tick's measurement: unlocked, the model restarts from it;
  /// locked, the bias adapts toward it.
  public mutating func observe(
    measurementCelsius: Double, locked: Bool, command: Double, nowNanoseconds now: UInt64
  ) {
    if !started {
      state.reset(celsius: measurementCelsius, command: command, nowNanoseconds: now)
      started = true
    }
    if !locked || !isLocked {
      state.anchor(celsius: measurementCelsius)
      biasCelsius = 0
    } else {
        let dt = Double(now - min(lastNanoseconds, now)) * 1e-9
      let residual = measurementCelsius - (state.celsius + biasCelsius)
      biasCelsius += residual * (1 - Elementary.exp(-dt / adaptationSeconds))
    }
    isLocked = locked
    lastNanoseconds = now
  }

  /// Records the command written this tick.
  public mutating func apply(command: Double, nowNanoseconds now: UInt64) {
    state.apply(command: command, nowNanoseconds: now)
  }

  /// Unlocks (no measurement this tick, or the loop is not running).
  public mutating func unlock() { isLocked = false }
}
