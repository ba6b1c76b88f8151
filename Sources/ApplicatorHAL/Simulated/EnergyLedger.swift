import ApplicatorHAL

/// Heat that crossed the column's boundaries or was made inside it, in
/// joules since the column was created; positive into the column.
///
/// Backward Euler conserves energy exactly when every flow is evaluated at
/// the new temperatures, as here: the change of stored energy equals
/// ``netJoules`` to round-off. Freezing by a time-lagged apparent heat
/// capacity does not conserve energy; the ledger does not count latent heat.
public struct EnergyLedger: Sendable, Equatable {
  /// From the core boundary below the muscle.
  public var coreJoules = 0.0
  /// From arterial blood (Pennes perfusion); negative when tissue is warmer than blood.
  public var perfusionJoules = 0.0
  /// Metabolic heat.
  public var metabolicJoules = 0.0
  /// Laser light absorbed in the tissue.
  public var laserJoules = 0.0
  /// Across the skin surface from a held plate or an open-loop boundary.
  public var surfaceJoules = 0.0
  /// Electrical power turned into heat by the TEC (Peltier and Joule terms on both sides).
  public var thermoelectricJoules = 0.0
  /// From the coolant into the TEC's heatsink.
  public var coolantJoules = 0.0
  /// From the room into the plate.
  public var ambientJoules = 0.0
  /// The sum of the absolute values of every flow, step by step: the scale
  /// against which the balance's round-off is judged.
  public var absoluteJoules = 0.0

  /// Creates an empty ledger.
  public init() {}

  /// Everything that entered the column.
  public var netJoules: Double {
    coreJoules + perfusionJoules + metabolicJoules + laserJoules + surfaceJoules
      + thermoelectricJoules + coolantJoules + ambientJoules
  }
}
