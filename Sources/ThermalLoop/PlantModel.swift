/// A first-order-plus-dead-time (FOPDT) model of the controlled temperature
/// around an operating point: after a dead time θ, the temperature moves
/// toward `zeroCommandCelsius + gain·command` with time constant τ.
///
/// It is what a step test fits (`devsim tune --method step`) and what the
/// model-based controller inverts for its feedforward.
public struct PlantModel: Sendable, Equatable {
  /// Steady-state gain K, °C per unit of command (> 0: temperature rises with the command).
  public var gainCelsiusPerCommand: Double
  /// Time constant τ, s (> 0).
  public var timeConstantSeconds: Double
  /// Dead time θ, s (≥ 0).
  public var deadTimeSeconds: Double
  /// The temperature the linearised plant settles at with a zero command, °C
  /// (the operating point's temperature minus K times its command).
  public var zeroCommandCelsius: Double

  /// Creates a model.
  public init(
    gainCelsiusPerCommand: Double, timeConstantSeconds: Double, deadTimeSeconds: Double,
    zeroCommandCelsius: Double
  ) {
    self.gainCelsiusPerCommand = gainCelsiusPerCommand
    self.timeConstantSeconds = timeConstantSeconds
    self.deadTimeSeconds = deadTimeSeconds
    self.zeroCommandCelsius = zeroCommandCelsius
  }

  /// The temperature a constant command settles at, °C.
  public func steadyCelsius(command: Double) -> Double {
    zeroCommandCelsius + gainCelsiusPerCommand * command
  }

  /// The constant command that holds `celsius` in steady state.
  public func holdCommand(celsius: Double) -> Double {
    (celsius - zeroCommandCelsius) / gainCelsiusPerCommand
  }

  /// Whether the parameters describe a usable model (finite, K > 0, τ > 0, θ ≥ 0).
  public var isUsable: Bool {
    gainCelsiusPerCommand > 0 && gainCelsiusPerCommand.isFinite && timeConstantSeconds > 0
      && timeConstantSeconds.isFinite && deadTimeSeconds >= 0 && deadTimeSeconds.isFinite
      && zeroCommandCelsius.isFinite
  }
}
