import ApplicatorHAL

/// The dose at one probe, counted once per tick: the one accumulator that
/// the dose cap trips on and that metrics and telemetry show.
///
/// The law is ``Dose`` (CEM43 and the +10 °C cold threshold). Time is
/// attributed sample-and-hold: the dose probe's plausible reading at one
/// tick counts for the interval up to the next tick; a tick without a
/// plausible reading at the probe counts nothing for the interval after it.
/// The simulated tissue's depth dose is a separate figure, simulation
/// truth read from the plant, never a probe.
public struct DoseAccumulator: Sendable {
  /// The sensor slot the dose is counted at, or −1 (nothing is counted).
  public private(set) var probeIndex: Int
  /// CEM43 at the probe so far, minutes.
  public private(set) var cem43Minutes = 0.0
  /// Minutes at or below ``Dose/lipidCrystallisationCelsius`` at the probe so far.
  public private(set) var minutesAtOrBelowLipidThreshold = 0.0
  private var heldCelsius: Double? = nil
  private var lastNanoseconds: UInt64? = nil
  private var rates = DoseRateMemo()

  /// Creates an empty accumulator counting at `probeIndex` (−1: none).
  public init(probeIndex: Int) { self.probeIndex = probeIndex }

  /// Counts at another probe from now on (the dose so far stays).
  public mutating func count(atProbe index: Int) {
    probeIndex = index
    heldCelsius = nil
  }

  /// Folds in one tick at `nowNanoseconds`: the interval since the last
  /// tick at the reading held since then, then this tick's reading at the
  /// probe if it is a plausible sample.
  public mutating func accrue(
    _ snapshot: SensorSnapshot, plausible: TemperatureWindow, nowNanoseconds now: UInt64
  ) {
    let dt = lastNanoseconds.map { now - min($0, now) } ?? 0
    lastNanoseconds = now
    // Dose over the interval that ends now, at the reading held since the last tick.
    if let held = heldCelsius {
      cem43Minutes += rates.cem43Minutes(celsius: held, seconds: Double(dt) * 1e-9)
      if held <= Dose.lipidCrystallisationCelsius {
        minutesAtOrBelowLipidThreshold += Double(dt) / 60e9
      }
    }
    heldCelsius = nil
    guard probeIndex >= 0 && probeIndex < snapshot.count,
      let celsius = snapshot.readings.span[probeIndex].sample?.celsius,
      plausible.contains(celsius)
    else { return }
    heldCelsius = celsius
  }
}
