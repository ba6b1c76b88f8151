/// The thermal dose law, in one place: the CEM43 rate and the cold-dose
/// threshold. The core's ``DoseAccumulator`` (the dose cap and telemetry)
/// and the simulated tissue's depth dose (simulation truth the supervisor
/// never sees) both count with these.
public enum Dose {
  private static let logHalf = -0.693_147_180_559_945_3
  private static let logQuarter = -1.386_294_361_119_890_6

  /// Cumulative equivalent minutes at 43 °C accrued in `seconds` at `celsius`:
  /// R^(43 − T)·Δt with R = 0.5 at or above 43 °C and 0.25 below (Sapareto–Dewey).
  public static func cem43Minutes(celsius: Double, seconds: Double) -> Double {
    rate(celsius: celsius) * seconds / 60
  }

  /// R^(43 − T): equivalent minutes at 43 °C per minute at `celsius`.
  public static func rate(celsius: Double) -> Double {
    let exponent = 43 - celsius
    let logR = celsius >= 43 ? logHalf : logQuarter
    return Elementary.exp(exponent * logR)
  }

  /// The lipid crystallisation threshold used for cold dose, °C: fat at or
  /// below it counts toward the cryolipolysis dose.
  public static let lipidCrystallisationCelsius = 10.0
}
