import ThermalLoop

/// One loosening of a mode's absolute safety limits that a test scenario
/// declares, with its reason: printed as a WARNING in the summary, a
/// property in JUnit and a badge in the HTML report, and refused by
/// `suite --forbid-relaxed`.
package struct Relaxation: Equatable, Sendable {
  /// The field, as the profile's `safety` object names it (`freeze.enabled`).
  package var field: String
  /// Why the scenario needs it.
  package var reason: String
}

/// The two tiers of safety limits: each mode's defaults (`SafetyConfiguration(mode:)`)
/// are its absolute limits, and a profile may only tighten them.
///
/// A profile that loosens a field (a wider setpoint clamp or plausible range,
/// a check switched off, a longer persistence, a larger threshold, a later
/// time or dose cap) is refused, naming the field, unless its `safety.relax`
/// object names that field with a reason. The mode's hard limits are always
/// in force: a profile's `hardLimits` add to them and cannot remove one.
package enum AbsoluteLimits {
  /// How a field of the configuration may change.
  private enum Rule {
    /// A value that trips sooner when smaller (a persistence, a threshold above).
    case atMost(KeyPath<SafetyConfiguration, Double>)
    /// A duration that trips sooner when shorter.
    case atMostDuration(KeyPath<SafetyConfiguration, UInt64>)
    /// A count that trips sooner when smaller.
    case atMostCount(KeyPath<SafetyConfiguration, Int>)
    /// A value that trips sooner when larger.
    case atLeast(KeyPath<SafetyConfiguration, Double>)
    /// A check that the mode has on stays on.
    case stayOn(KeyPath<SafetyConfiguration, Bool>)
    /// A range that may only narrow.
    case within(KeyPath<SafetyConfiguration, TemperatureWindow>)
  }

  /// Every field a profile may set, by the name its `safety` object uses.
  private static var rules: [(field: String, rule: Rule)] {
    [
      ("setpointClamp", .within(\.setpointClamp)),
      ("plausible", .within(\.plausibleRange)),
      ("plausible.persistence", .atMostDuration(\.plausibilityPersistenceNanoseconds)),
      ("outOfWindow.margin", .atMost(\.outOfWindowMarginCelsius)),
      ("outOfWindow.persistence", .atMostDuration(\.outOfWindowPersistenceNanoseconds)),
      ("mustProgress.commandFraction", .atMost(\.progressCommandFraction)),
      ("mustProgress.distance", .atMost(\.progressDistanceCelsius)),
      ("mustProgress.minimumChange", .atLeast(\.progressMinimumChangeCelsius)),
      ("mustProgress.period", .atMostDuration(\.progressPeriodNanoseconds)),
      ("wrongDirection.rate", .atMost(\.wrongDirectionRateCelsiusPerSecond)),
      ("wrongDirection.persistence", .atMostDuration(\.wrongDirectionPersistenceNanoseconds)),
      ("rate.rise", .atMost(\.rateRiseLimitCelsiusPerSecond)),
      ("rate.fall", .atMost(\.rateFallLimitCelsiusPerSecond)),
      ("freeze.enabled", .stayOn(\.freezeDetection)),
      ("freeze.rise", .atMost(\.freezeRiseCelsius)),
      ("disagreement.limit", .atMost(\.disagreementCelsius)),
      ("disagreement.persistence", .atMostDuration(\.disagreementPersistenceNanoseconds)),
      ("stuck.persistence", .atMostDuration(\.stuckPersistenceNanoseconds)),
      ("stuck.commandFraction", .atMost(\.stuckCommandFraction)),
      ("stale.hold", .atMostDuration(\.staleHoldNanoseconds)),
      ("stale.trip", .atMostDuration(\.staleTripNanoseconds)),
      ("readBack.tolerance", .atMost(\.readBackTolerance)),
      ("readBack.persistence", .atMostDuration(\.readBackPersistenceNanoseconds)),
      ("doseCap.enabled", .stayOn(\.doseCapEnabled)),
      ("doseCap.factor", .atMost(\.doseCapFactor)),
      ("timeCap.factor", .atMost(\.timeCapFactor)),
      ("interlock.contactPersistence", .atMostDuration(\.contactPersistenceNanoseconds)),
      ("interlock.coolantPersistence", .atMostDuration(\.coolantPersistenceNanoseconds)),
      ("overrun.limit", .atMostCount(\.overrunLimit)),
      ("overrun.stall", .atMostDuration(\.overrunStallNanoseconds)),
      ("modelMismatch.limit", .atMost(\.modelMismatchCelsius)),
      ("modelMismatch.persistence", .atMostDuration(\.modelMismatchPersistenceNanoseconds)),
    ]
  }

  /// The fields a `safety.relax` object may name.
  package static var fields: [String] {
    rules.map(\.field) + ["timeCap.limit", "doseCap.planMinutes"]
  }

  /// The fields of `safety` that loosen the mode's absolute limits, each
  /// with what the limit is, for a treatment planned to last
  /// `plannedNanoseconds` with `window`.
  package static func loosened(
    _ safety: SafetyConfiguration, mode: TreatmentMode, window: TemperatureWindow,
    plannedNanoseconds: UInt64
  ) -> [(field: String, limit: String)] {
    let absolute = SafetyConfiguration(mode: mode)
    var found: [(field: String, limit: String)] = []
    for (field, rule) in rules {
      switch rule {
      case .atMost(let path):
        if !(safety[keyPath: path] <= absolute[keyPath: path]) {
          found.append((field, "at most \(format(absolute[keyPath: path]))"))
        }
      case .atMostDuration(let path):
        if safety[keyPath: path] > absolute[keyPath: path] {
          found.append((field, "at most \(seconds(absolute[keyPath: path]))"))
        }
      case .atMostCount(let path):
        if safety[keyPath: path] > absolute[keyPath: path] {
          found.append((field, "at most \(absolute[keyPath: path])"))
        }
      case .atLeast(let path):
        if !(safety[keyPath: path] >= absolute[keyPath: path]) {
          found.append((field, "at least \(format(absolute[keyPath: path]))"))
        }
      case .stayOn(let path):
        if absolute[keyPath: path] && !safety[keyPath: path] {
          found.append((field, "on in \(mode)"))
        }
      case .within(let path):
        let range = safety[keyPath: path]
        let outer = absolute[keyPath: path]
        if !(range.lowCelsius >= outer.lowCelsius && range.highCelsius <= outer.highCelsius) {
          found.append(
            (
              field,
              "within \(format(outer.lowCelsius)) … \(format(outer.highCelsius)) °C in \(mode)"
            ))
        }
      }
    }
    let cap = absolute.timeCap(plannedNanoseconds: plannedNanoseconds)
    if safety.timeCapNanoseconds.map({ $0 > cap }) ?? false {
      found.append(("timeCap.limit", "at most \(seconds(cap))"))
    }
    let dose = absolute.doseCapMinutes(window: window, plannedNanoseconds: plannedNanoseconds)
    if absolute.doseCapEnabled
      && !(safety.doseCapMinutes(window: window, plannedNanoseconds: plannedNanoseconds) <= dose)
    {
      found.append(("doseCap.planMinutes", "at most \(format(dose / absolute.doseCapFactor)) min"))
    }
    return found
  }

  private static func format(_ value: Double) -> String {
    value.isFinite ? DecimalText.string(value, decimals: 3) : "\(value)"
  }

  private static func seconds(_ nanoseconds: UInt64) -> String {
    DecimalText.string(Double(nanoseconds) * 1e-9, decimals: 3) + " s"
  }
}
