/// What a profile gives the model-based controller: the plant model, the
/// planned approach and how fast the supervisor's prediction adapts.
public struct ModelControlSettings: Sendable, Equatable {
  /// The plant model (fitted by `devsim tune --method step`).
  public var model: PlantModel
  /// The planned approach time constant, s (0: the fastest the actuator can follow).
  public var approachSeconds: Double
  /// The adaptation time constant of the prediction's bias, s.
  public var adaptationSeconds: Double

  /// Creates settings.
  public init(model: PlantModel, approachSeconds: Double = 0, adaptationSeconds: Double = 60) {
    self.model = model
    self.approachSeconds = approachSeconds
    self.adaptationSeconds = adaptationSeconds
  }
}

/// The model-based controller's state outside its PID: the feedforward
/// and planned approach (``ModelFeedforward``) and the prediction from the
/// applied commands (``ModelPredictor``) that the supervisor checks.
public struct ModelControl: Sendable {
  /// Feedforward and nominal response.
  public var feedforward: ModelFeedforward
  /// Prediction for the model-mismatch check.
  public var predictor: ModelPredictor

  /// Creates both from settings.
  public init(_ settings: ModelControlSettings) {
    feedforward = ModelFeedforward(
      model: settings.model, approachSeconds: settings.approachSeconds)
    predictor = ModelPredictor(
      model: settings.model, adaptationSeconds: settings.adaptationSeconds)
  }
}
