/// What a tuning experiment has measured so far: kept as it goes, so an
/// abort (or a rule with nothing to go on) still reports what was measured.
package struct TuneMeasurements {
  /// The settled hold (command, temperature, noise), once the plant settled.
  package var hold: (command: Double, celsius: Double, noiseCelsius: Double)? = nil
  /// Step responses, in the order applied; the last may be cut short by the abort.
  package var steps: [StepRecord] = []
  /// The relay so far, once it switched.
  package var relay: RelayProgress? = nil
  /// The relay's analysed cycle, once it finished.
  package var relayCycle: RelayCycle? = nil

  package init() {}

  /// One step response's figures.
  package struct StepRecord {
    /// The command step (new − hold).
    package var commandStep: Double
    /// How long it was recorded, s.
    package var seconds: Double
    /// The temperature before the step, °C.
    package var baselineCelsius: Double
    /// The last reading, °C.
    package var lastCelsius: Double
    /// Whether the response ran to its end (settled, half the band, or the step's time).
    package var finished: Bool
  }

  /// A relay's switches and extremes so far.
  package struct RelayProgress {
    /// Relay switches so far.
    package var switches = 0
    /// The highest and lowest readings since the first switch, °C.
    package var highestCelsius = -Double.infinity
    package var lowestCelsius = Double.infinity
    /// Loop time of the first and the last switch, s.
    package var firstSwitchSeconds = 0.0
    package var lastSwitchSeconds = 0.0
  }

  /// Whether anything was measured.
  package var isEmpty: Bool { hold == nil && steps.isEmpty && relay == nil && relayCycle == nil }
}
