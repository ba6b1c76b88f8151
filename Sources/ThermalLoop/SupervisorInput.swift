import ApplicatorHAL

/// What the supervisor is told about the loop each tick, besides the readings.
public struct SupervisorInput: Sendable {
  /// The loop clock, ns.
  public var nowNanoseconds: UInt64
  /// The running phase's slot.
  public var phaseIndex: Int
  /// The running phase's kind.
  public var phaseKind: PhaseKind
  /// The running phase's setpoint (after the clamp), °C.
  public var targetCelsius: Double
  /// The command written in the previous tick.
  public var lastCommand: Double
  /// The controller's output limits.
  public var outputLimits: OutputLimits
  /// Time spent in treatment phases so far, ns.
  public var treatmentElapsedNanoseconds: UInt64
  /// The interlocks as read this tick.
  public var interlocks: Interlocks
  /// The power stage's measured output (fraction of full scale), `nil`
  /// without read-back or when the read failed.
  public var readBack: Double?
  /// Why this tick's read-back failed (a failed fetch, a reply that was not
  /// a number); `nil` when it was read or the stage has none. A failed
  /// read-back leaves the output unconfirmed: the read-back check counts it.
  public var readBackFault: FaultKind?
  /// The model-based controller's prediction of the controlled temperature
  /// from the applied commands, °C; `nil` without a model (or before the
  /// prediction is locked): the model-mismatch check is off.
  public var modelPredictionCelsius: Double?

  /// Creates an input.
  public init(
    nowNanoseconds: UInt64, phaseIndex: Int, phaseKind: PhaseKind, targetCelsius: Double,
    lastCommand: Double, outputLimits: OutputLimits, treatmentElapsedNanoseconds: UInt64,
    interlocks: Interlocks, readBack: Double? = nil, readBackFault: FaultKind? = nil,
    modelPredictionCelsius: Double? = nil
  ) {
    self.nowNanoseconds = nowNanoseconds
    self.phaseIndex = phaseIndex
    self.phaseKind = phaseKind
    self.targetCelsius = targetCelsius
    self.lastCommand = lastCommand
    self.outputLimits = outputLimits
    self.treatmentElapsedNanoseconds = treatmentElapsedNanoseconds
    self.interlocks = interlocks
    self.readBack = readBack
    self.readBackFault = readBackFault
    self.modelPredictionCelsius = modelPredictionCelsius
  }
}

/// The supervisor's decision for one tick.
public enum SafetyVerdict: Sendable, Equatable {
  /// The controller's command may go out (after the supervisor's clamp).
  case run
  /// Output off this tick, not latched (a sensor is briefly without fresh data).
  case holdOff
  /// Latched trip: the safe state, until an explicit reset.
  case tripped(TripRecord)
}
