import ApplicatorHAL

/// Dose at depth, read from the column's own temperatures (not from probes):
/// how deep the cold went and for how long, how hot the skin got.
public struct DepthDose: Sendable, Equatable {
  /// The lipid crystallisation threshold, °C (the dose law's, ``Dose/lipidCrystallisationCelsius``).
  public static var lipidThresholdCelsius: Double { Dose.lipidCrystallisationCelsius }
  /// Where skin water starts to freeze, °C.
  public static let skinFreezingCelsius = -0.5

  /// The current depth of the +10 °C front below the skin surface, m (0 when the surface is warmer).
  public internal(set) var frontDepthMetres = 0.0
  /// The deepest the +10 °C front reached, m.
  public internal(set) var maximumFrontDepthMetres = 0.0
  /// Fat at or below +10 °C, integrated over thickness and time, m·s.
  public internal(set) var fatMetreSecondsAtOrBelowThreshold = 0.0
  /// Time the skin surface spent below −0.5 °C, s (a freeze-risk figure).
  public internal(set) var skinSecondsBelowFreezing = 0.0
  /// The highest skin temperature (surface or any skin cell), °C.
  public internal(set) var skinMaximumCelsius = -Double.infinity

  /// Creates an empty record.
  public init() {}
}
